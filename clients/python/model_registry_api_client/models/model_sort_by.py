from enum import StrEnum


class ModelSortBy(StrEnum):
    CREATED_AT = "created_at"
    MODEL_SIZE = "model_size"
    NAME = "name"
    UPDATED_AT = "updated_at"

    def __str__(self) -> str:
        return str(self.value)
