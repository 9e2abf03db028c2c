"""The project-made acceptance corpus: a drop folder of PI and QAF returns, built with the project's code.

See :mod:`tests.corpus.build` for the cases and what each file must produce.
"""
