ROUTES = {"/livez": lambda: (200, "ok"), "/readyz": lambda: (200, "ready")}
