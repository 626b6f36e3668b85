"""Community volunteer coordination bot: 回家日 reports, volunteer tasks and red points."""

__version__ = "0.1.0"
