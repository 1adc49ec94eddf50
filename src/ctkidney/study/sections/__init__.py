"""Study sections, one module each. Every module here registers its section with
:func:`ctkidney.study.register_section` when imported."""
