"""Our date and number formats per language (``FORMAT_MODULE_PATH``): Django's own ``date``
and number rendering read them first, so a template and ``redthread.core.formats`` agree.
What a module leaves out falls back to Django's shipped locale."""
