"""The sources a gazetteer reads: curated overlay, GeoNames, user files, learned tables."""
