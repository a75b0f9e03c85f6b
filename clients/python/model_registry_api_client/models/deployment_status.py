from enum import StrEnum


class DeploymentStatus(StrEnum):
    DEPLOYED = "DEPLOYED"
    FAILED = "FAILED"
    UNDEPLOYED = "UNDEPLOYED"

    def __str__(self) -> str:
        return str(self.value)
