from enum import StrEnum


class PingEventType(StrEnum):
    WEBHOOK_PING = "webhook.ping"

    def __str__(self) -> str:
        return str(self.value)
