"""The cycle set-up form: shape only (the service checks the rules). Dates are typed in
French local time and stored in naive UTC."""
from __future__ import annotations


from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from budget.blueprints.numbers import BoundedIntegerField
from budget.blueprints.domain_errors import attach_to_form
from budget.domain.discussion import COMMENT_PHASE_CHOICES, DEFAULT_COMMENT_PHASES
from budget.domain.envelopes import proportional_amounts
from budget.domain.errors import DomainError
from budget.models.time import to_local, to_utc
from budget.services.cycle_setup import (
    LIMITS,
    OFFERED_RULES,
    CycleDraft,
    commune_field,
)
from budget.templating import PHASE_LABELS, rule_label

WHOLE = _l("Enter a whole number.")
DATE = _l("Enter a date and time.")
VOTE_FORMATS = [
    SelectChoice("approval", _l("Approval: choose projects")),
    SelectChoice("knapsack", _l("Knapsack: choose projects within the envelope")),
    SelectChoice("cumulative", _l("Cumulative: share out points")),
]


def _when(label, required=True):
    return DateTimeLocalField(label, format="%Y-%m-%dT%H:%M",
                              validators=[InputRequired(DATE) if required else Optional()])


def _count(label):
    return BoundedIntegerField(label, validators=[Optional()],
                               render_kw={"inputmode": "numeric"})


def _amount(label, required=True):
    return BoundedIntegerField(label, validators=[
        InputRequired(WHOLE) if required else Optional(), NumberRange(0, message=WHOLE)],
        render_kw={"inputmode": "numeric"})


class LimitsForm(FlaskForm):
    """The vote format's limits: the cycle's, or one envelope's own."""

    min_choices = _count(_l("Approval: at least this many projects per envelope"))
    max_choices = _count(_l("Approval: at most this many projects per envelope (blank: no limit)"))
    min_share_percent = _count(_l("Knapsack: spend at least this percentage of the envelope"))
    total_points = _count(_l("Cumulative: points each voter shares out per envelope"))
    max_per_project = _count(_l("Cumulative: at most this many points on one project "
                                "(blank: no limit)"))

    def limits(self, vote_format: str) -> dict:
        return _params({name: self[name].data for name in LIMITS.get(vote_format, ())})


class EnvelopeForm(LimitsForm):
    """A commune's part of a cycle: its envelope's amount and its ballot's limits."""

    amount = _amount(_l("Amount of the envelope, in euros"))
    own_limits = BooleanField(_l("This envelope has its own ballot limits"))
    save = SubmitField(_l("Save"))


class CycleForm(LimitsForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give the cycle a title.")),
                                                 Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    proposals_start = _when(_l("Proposals open on (Paris time)"))
    supports_start = _when(_l("Supports phase starts on (Paris time; blank: no supports "
                              "phase)"), required=False)
    review_start = _when(_l("Review by staff starts on (Paris time)"))
    vote_start = _when(_l("Vote opens on (Paris time)"))
    vote_end = _when(_l("Vote closes on (Paris time)"))
    vote_format = SelectField(_l("Vote format"), choices=VOTE_FORMATS)
    tally_rule = SelectField(_l("Tally rule"), choices=[
        SelectChoice(name, LazyString(rule_label, name)) for name in OFFERED_RULES])
    total_amount = _amount(_l("Total agreed for the cycle, all envelopes, in euros (blank: "
                              "no cap)"), required=False)
    intercommunal_amount = BoundedIntegerField(_l("Intercommunal envelope, in euros"),
                                               validators=[InputRequired(WHOLE)],
                                               render_kw={"inputmode": "numeric"})
    proportional_total = BoundedIntegerField(
        _l("Total for the communes, in euros"),
        validators=[Optional(), NumberRange(0, message=WHOLE)], render_kw={"inputmode": "numeric"})
    fill = SubmitField(_l("Fill the commune amounts in proportion to population"))
    comment_phases = SelectMultipleField(
        _l("Residents may comment on proposals during these phases"),
        choices=[SelectChoice(phase.value, PHASE_LABELS[phase])
                 for phase in COMMENT_PHASE_CHOICES],
        default=list(DEFAULT_COMMENT_PHASES), validate_choice=False,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    support_threshold = RadioField(
        _l("Which proposals the supports send to review"), choices=[
            SelectChoice("none", _l("All of them: supports only inform")),
            SelectChoice("count", _l("Those with at least N supports")),
            SelectChoice("top", _l("The N most supported of each envelope (all tied at the "
                                   "last place are kept)")),
        ], default="none", validate_choice=False)
    support_threshold_value = BoundedIntegerField(
        _l("N, the threshold (a whole number)"),
        validators=[Optional(), NumberRange(1, 1_000_000, message=WHOLE)],
        render_kw={"inputmode": "numeric"})
    save = SubmitField(_l("Save the cycle"))

    def fill_communes(self, communes) -> None:
        """Share `proportional_total` among the communes by population (nothing is saved)."""
        total = self.proportional_total
        if not total.validate(self) or total.data is None:
            total.errors = total.errors or [WHOLE]
            return
        try:
            # An unknown population (an imported election's commune) shares nothing.
            amounts = proportional_amounts(total.data, {c.insee_code: c.population or 0
                                                        for c in communes})
        except DomainError as error:
            attach_to_form(self, error)
            return
        for commune, field in self.commune_fields(communes):
            field.data, field.raw_data = amounts[commune.insee_code], None

    def commune_fields(self, communes):
        return [(commune, self[commune_field(commune.id)]) for commune in communes]

    def draft(self, communes) -> CycleDraft:
        """The entered values as plain data for the service (call after validate())."""
        chosen = self.vote_format.data
        return CycleDraft(
            title=self.title.data or "", description=self.description.data or "",
            proposals_start=to_utc(self.proposals_start.data),
            supports_start=(to_utc(self.supports_start.data)
                            if self.supports_start.data else None),
            support_threshold_kind=self.support_threshold.data or "none",
            support_threshold_value=self.support_threshold_value.data,
            review_start=to_utc(self.review_start.data),
            vote_start=to_utc(self.vote_start.data), vote_end=to_utc(self.vote_end.data),
            vote_format=chosen,
            vote_params=self.limits(chosen),
            tally_rule=self.tally_rule.data,
            intercommunal_amount=(self.intercommunal_amount.data
                                  if self.intercommunal_amount else None),
            commune_amounts={c.id: field.data for c, field in self.commune_fields(communes)},
            total_amount=self.total_amount.data,
            comment_phases=tuple(self.comment_phases.data or ()))

    def show(self, cycle) -> None:
        """Fill the form from a stored cycle (dates back in Paris time)."""
        for name in ("proposals_start", "review_start", "vote_start", "vote_end"):
            self[name].data = to_local(getattr(cycle, name))
        if cycle.supports_start is not None:
            self.supports_start.data = to_local(cycle.supports_start)
        threshold = cycle.support_threshold or {}
        self.support_threshold.data = threshold.get("kind", "none")
        self.support_threshold_value.data = threshold.get("value")
        for name, value in (cycle.vote_params or {}).items():
            if name in self:
                self[name].data = value
        self.total_amount.data = cycle.total_amount
        for envelope in cycle.envelopes:
            name = commune_field(envelope.commune_id) if envelope.commune_id else \
                "intercommunal_amount"
            if name in self:
                self[name].data = envelope.amount


def _params(entered: dict) -> dict:
    """Blank counts: 0 for a minimum, no limit for a maximum, no points (refused) for
    cumulative's total."""
    defaults = {"min_choices": 0, "min_share_percent": 0}
    return {name: value if value is not None else defaults.get(name)
            for name, value in entered.items()}


def cycle_form(communes, commune_cycle: bool = False, **kwargs) -> CycleForm:
    """The form with one amount field per commune of the territory; for a commune's own
    cycle (`communes` is that commune), no intercommunal envelope nor proportional helper."""
    class TerritoryCycleForm(CycleForm):
        if commune_cycle:  # a field set to None is not a field (WTForms skips it)
            intercommunal_amount = proportional_total = fill = None

    for commune in communes:
        setattr(TerritoryCycleForm, commune_field(commune.id), BoundedIntegerField(
            commune.name, validators=[InputRequired(WHOLE)],
            render_kw={"inputmode": "numeric"}))
    return TerritoryCycleForm(**kwargs)
