"""nettverk: the collaboration network between Norwegian municipalities."""
