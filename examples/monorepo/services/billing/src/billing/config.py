import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    port: int

    @classmethod
    def from_environment(cls) -> "Settings":
        raw_port = os.environ.get("BILLING_PORT", "8080")
        if not raw_port.isdigit():
            raise SystemExit(f"BILLING_PORT must be a port number, got {raw_port!r}")
        return cls(port=int(raw_port))
