"""eCorpOne's desk pages."""
