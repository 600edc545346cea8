"""The ground floor: domain-free tools every app may use — bulk COPY (`bulk`), the Excel report writer (`excel`),
keyset pagination (`pagination`), Indonesian formatting (`formatting`) and its template tags, the `require` access
helper (`access`) and form helpers (`forms`). It imports no app of this project (import-linter checks it)."""
