from enum import StrEnum


class State(StrEnum):
    ARCHIVED = "ARCHIVED"
    LIVE = "LIVE"

    def __str__(self) -> str:
        return str(self.value)
