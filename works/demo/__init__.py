"""The demo archive that `manage.py load_demo` (and `make run`) loads."""
