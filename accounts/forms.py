from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil.",
        "inactive": "Akun ini tidak aktif. Hubungi Admin Provinsi.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Nama pengguna"
        self.fields["password"].label = "Kata sandi"


class UserForm(forms.Form):
    """An account as Admin Provinsi sets it up: role and regency first, then the person."""

    role = forms.ChoiceField(label="Peran", choices=Role.choices)
    regency = forms.ModelChoiceField(
        label="Kabupaten/kota",
        queryset=None,
        required=False,
        empty_label="— (peran provinsi)",
        help_text="Wajib untuk Operator Kab/Kota; kosong untuk peran provinsi.",
    )
    username = forms.RegexField(
        label="Nama pengguna",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="Huruf, angka dan . @ + - _ saja, mis. operator.kutaibarat",
        error_messages={"invalid": "Nama pengguna hanya boleh berisi huruf, angka dan . @ + - _"},
    )
    first_name = forms.CharField(label="Nama depan", max_length=150)
    last_name = forms.CharField(label="Nama belakang", max_length=150, required=False)
    email = forms.EmailField(label="Surel", required=False)
    nip = forms.CharField(label="NIP", max_length=18, required=False)
    position = forms.CharField(label="Jabatan", max_length=150, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from regions.models import Regency

        self.fields["regency"].queryset = Regency.objects.order_by("code")
        if editing:
            self.fields["username"].disabled = True

    def clean(self):
        data = super().clean()
        role, regency = data.get("role"), data.get("regency")
        if role == Role.OPERATOR and regency is None:
            self.add_error("regency", "Operator Kab/Kota wajib memiliki kabupaten/kota.")
        if role and role != Role.OPERATOR and regency is not None:
            self.add_error("regency", "Peran provinsi tidak terikat pada satu kabupaten/kota; kosongkan.")
        return data
