"""What the window remembers between sessions (QSettings): recent files, layout, last folder.

Stored as an INI file in the user's configuration folder under the organisation and application
names below, on every platform (no registry). Tests point QSettings' INI path at a temporary
folder (`QSettings.setPath`), so they never touch the real user settings.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from estimator import paths
from ui.qt import QByteArray, QSettings

ORGANISATION = "BoQ Estimator"
APPLICATION = "boq-estimator"
MAX_RECENT = 8


class AppSettings:
    def __init__(self) -> None:
        self.q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)

    def recent_files(self) -> list[Path]:
        value = self.q.value("recent_files", [])
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(str(n)) for n in names if n]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        files = [path, *(p for p in self.recent_files() if p != path)][:MAX_RECENT]
        self.q.setValue("recent_files", [str(p) for p in files])

    def remove_recent(self, path: Path) -> None:
        self.q.setValue("recent_files", [str(p) for p in self.recent_files() if p != path.resolve()])

    def last_folder(self) -> str:
        """Where file dialogs start: the folder last used, or the user's documents folder; never
        the hidden data folder (where the sample copy lives)."""
        folder = str(self.q.value("last_folder", ""))
        if folder and Path(folder).is_dir() and not hidden(Path(folder)):
            return folder
        return str(documents_folder())

    def set_last_folder(self, path: Path) -> None:
        self.q.setValue("last_folder", str(path.resolve().parent))

    def layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry, state = self.q.value("window/geometry"), self.q.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def set_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    def sync(self) -> None:
        self.q.sync()


def documents_folder() -> Path:
    """The user's documents folder (home when the platform has none)."""
    folder = Path(platformdirs.user_documents_dir())
    return folder if folder.is_dir() else Path.home()


def hidden(path: Path) -> bool:
    """True for the app's own data folder and what is in it (the sample copy, the user library)."""
    return path.resolve().is_relative_to(paths.user_data_dir().resolve())


def visible_folder(path: Path) -> Path:
    """The folder of `path` for suggesting a file name beside it, or documents for a hidden one."""
    return documents_folder() if hidden(path) else path.parent
