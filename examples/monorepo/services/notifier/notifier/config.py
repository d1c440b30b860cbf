import os

SMTP_HOST = os.environ.get("NOTIFIER_SMTP_HOST", "localhost")
