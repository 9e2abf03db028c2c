"""The foundation: settings, database and migrations, programme file, errors, templating.

Every layer imports it; it imports no layer of spmon, only libraries.
"""
