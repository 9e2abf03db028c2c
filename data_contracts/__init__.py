"""Data contracts: the schemas of files in and out, the database tables and the GX suites."""
