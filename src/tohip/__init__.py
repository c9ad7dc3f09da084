"""tohip: clinical decision support for transient osteoporosis of the hip and its mimics.

Decision support for clinicians, not a diagnosis. Typical use::

    from tohip import Case, assess
    result = assess(Case.model_validate({"patient": {"age": 44, "sex": "male"}}))
    result.differential[0].condition
"""

from tohip._version import __version__
from tohip.case.schema import Case
from tohip.conditions import ConditionId
from tohip.engine.assess import assess_case as assess
from tohip.engine.types import Assessment

__all__ = ["Assessment", "Case", "ConditionId", "__version__", "assess"]
