"""The bench's yardstick: a bare Django project with one view that lists 25 rows of the stories
table, served beside the portal by ``bench/load.py``. Not part of the portal."""
