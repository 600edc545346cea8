#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

SERVER_ENV = "/etc/kubeprogram.env"


def main():
    # On a server (it has the env file of ops/manage) a bare `manage.py` would act on a SQLite file in the
    # checkout with DEBUG on: refused, pointing at the wrapper that loads the server's settings.
    env_file = os.environ.get("KUBEPROGRAM_ENV", SERVER_ENV)
    if "DJANGO_SETTINGS_MODULE" not in os.environ and os.path.exists(env_file):
        sys.stderr.write(
            f"Server ini punya {env_file}: jalankan perintah lewat ops/manage (memuat pengaturan produksinya), "
            "misalnya: ops/manage migrate\n"
        )
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubeprogram.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
