import logging

logger = logging.getLogger(__name__)


def send(text: str) -> None:
    logger.info("sending %r", text)
