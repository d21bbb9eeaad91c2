"""The project file: models, located loading, comment-preserving saving, JSON Schema and starter files."""
from .load import ProjectFile, load_project
from .models import Project
from .save import save_project

__all__ = ["Project", "ProjectFile", "load_project", "save_project"]
