"""Reports for sponsors, organisers and members: what the club's encounters made."""
