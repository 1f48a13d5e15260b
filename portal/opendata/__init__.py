"""Open data: the public questions and their answers as daily CSV/JSON dumps and a JSON API,
both described by one column table (`columns.py`) and published under the Licence Ouverte 2.0."""
