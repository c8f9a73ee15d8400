"""The writers of the downloads beyond projects and partners: counts, changes, the SQLite
catalogue with its Datasette metadata, the workbook, the data package and the charts.
site/downloads.py registers each file."""
