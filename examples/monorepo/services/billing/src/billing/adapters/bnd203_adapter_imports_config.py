"""An adapter must not import config: main should pass the settings in."""
from billing.config import Settings

SETTINGS = Settings.from_environment()
