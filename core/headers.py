"""Headers every response carries, whatever view made it.

- `Cache-Control: private, no-store` on what a signed-in user receives (pages and exports full of personal data)
  unless the view chose otherwise (a visit photo may be kept an hour): no shared or disk cache keeps it. The
  offline field pages are stored by the service worker itself (Cache Storage), which this header does not stop.
- `Permissions-Policy`: the camera and the location for this site's own pages only (visit photos, GPS on the
  phone), nothing else a page could ask the browser for."""

PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), serial=(), bluetooth=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
