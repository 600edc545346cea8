"""Pages an officer can take along to the phone (Cache Storage): whatever the role, no whole NIK or KK may be in
them, so that none is kept on a phone (ASVS 5.0 14.3.3). Such a view is decorated with `taken_along`;
kubeprogram.middleware.MaskNumbersMiddleware then masks every 16-digit number of its page for everyone."""

import functools


def taken_along(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.mask_numbers = True
        return response

    return wrapper
