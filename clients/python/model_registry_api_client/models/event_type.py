from enum import StrEnum


class EventType(StrEnum):
    ALIAS_DELETED = "alias.deleted"
    ALIAS_SET = "alias.set"
    MODEL_CREATED = "model.created"
    MODEL_DELETED = "model.deleted"
    MODEL_UPDATED = "model.updated"
    VERSION_CREATED = "version.created"
    VERSION_DELETED = "version.deleted"
    VERSION_UPDATED = "version.updated"

    def __str__(self) -> str:
        return str(self.value)
