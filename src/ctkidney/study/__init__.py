"""The study runner behind ``ctkidney study``, and the section registry that each
part of the library uses to add its own part of the report."""

from ctkidney.study._registry import (
    SectionResult,
    StudyContext,
    Table,
    available_sections,
    register_section,
)
from ctkidney.study._runner import run_study

__all__ = [
    "SectionResult",
    "StudyContext",
    "Table",
    "available_sections",
    "register_section",
    "run_study",
]
