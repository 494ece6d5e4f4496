"""SQLAlchemy mappings only; invariants are database constraints."""
from budget.models.adoption import CouncilAdoption
from budget.models.audit import AuditEntry
from budget.models.ballot import Ballot, BallotSelection, InboxBallot, Participation
from budget.models.catalogue import CatalogueEntry
from budget.models.cycle import BudgetCycle, Envelope
from budget.models.discussion import (Charter, CharterAcceptance, Comment, CommentBlock,
                                      Report)
from budget.models.eligibility import AccessCode, CensusEntry, EligibilityDeclaration
from budget.models.evaluation import EvaluationAnswer, ProjectEvaluation
from budget.models.follow import Follow, FollowNews
from budget.models.identity import ProviderIdentity
from budget.models.kiosk import Kiosk, KioskUnlock, PollingStation
from budget.models.paper import PaperBatch, PaperEntry, PaperEntryBallot
from budget.models.proposal import Proposal
from budget.models.proposal_image import ProposalImage
from budget.models.second_factor import SecondFactor
from budget.models.support import ProposalSupport
from budget.models.tally import TallyRun
from budget.models.theme import Theme
from budget.models.territory import Commune, Intercommunality
from budget.models.tracking import (ProjectTracking, TrackingMilestone, TrackingPhoto,
                                    TrackingState)
from budget.models.user import Role, User

__all__ = [
    "AccessCode", "AuditEntry", "Ballot", "BallotSelection", "BudgetCycle", "CatalogueEntry",
    "CensusEntry",
    "Charter", "CharterAcceptance", "Comment", "CommentBlock", "Commune", "CouncilAdoption",
    "EligibilityDeclaration", "Envelope", "EvaluationAnswer", "Follow", "FollowNews",
    "InboxBallot", "Intercommunality", "Kiosk", "KioskUnlock", "PaperBatch", "PollingStation",
    "PaperEntry", "PaperEntryBallot", "Participation", "Proposal", "ProposalImage",
    "ProjectEvaluation", "ProjectTracking", "ProposalSupport", "ProviderIdentity", "Report",
    "Role", "SecondFactor",
    "TallyRun", "Theme", "TrackingMilestone", "TrackingPhoto", "TrackingState", "User",
]
