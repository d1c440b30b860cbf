"""import-linter contract types that enforce the boundary and layer rules.

Register them in the ``[importlinter]`` section::

    contract_types =
        boundaries: service_boundaries.contracts.ImportBoundariesContract
        layers: service_boundaries.contracts.ServiceLayersContract
"""

from .layout import ServiceLayoutContract
from .types import ImportBoundariesContract, ServiceLayersContract

__all__ = ["ImportBoundariesContract", "ServiceLayersContract", "ServiceLayoutContract"]
