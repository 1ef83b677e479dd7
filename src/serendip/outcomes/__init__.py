"""What came of the club's encounters: deals, hires, partnerships, help that mattered."""
