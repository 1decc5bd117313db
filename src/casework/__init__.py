"""casework: customer-experience automation beside your helpdesk.

AI proposes, rules constrain, people decide where the risk is.
"""

from casework.workspace import Workspace

__all__ = ["Workspace"]
__version__ = "0.1.0"
