"""Who may see and change what in an initiative: the one place views ask.

A person's roles in an initiative come from their organizations' participations. Outsiders get
404 (the initiative might as well not exist); members without the right role get 403; members
whose only role is funder never write.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from impact.models import Initiative
from partners.models import Participation

Role = Participation.Role
ROLE_PRECEDENCE = (Role.BACKBONE, Role.PARTNER, Role.FUNDER)


@dataclass(frozen=True)
class Membership:
    """What one user is in one initiative: their roles and the organizations behind them."""

    initiative: Initiative
    roles: frozenset = frozenset()
    organizations_by_role: dict = field(default_factory=dict)
    is_site_admin: bool = False

    @property
    def is_coordinator(self):
        return self.is_site_admin or Role.BACKBONE in self.roles

    @property
    def is_partner(self):
        return Role.PARTNER in self.roles

    @property
    def is_funder(self):
        return Role.FUNDER in self.roles

    @property
    def can_write(self):
        """Funders read; anyone with another role (or a site admin) may write what that role allows."""
        return self.is_site_admin or bool(self.roles - {Role.FUNDER})

    @property
    def role(self):
        """Return the role that decides what the user sees: backbone, then partner, then funder."""
        for role in ROLE_PRECEDENCE:
            if role in self.roles:
                return role
        return None

    @property
    def role_label(self):
        return Role(self.role).label if self.role else _("Site admin")

    @property
    def partner_organizations(self):
        return self.organizations_by_role.get(Role.PARTNER, [])

    def belongs_to(self, organization):
        """True when the user is a member of ``organization`` (an id or an Organization)."""
        organization_id = getattr(organization, "pk", organization)
        return any(org.pk == organization_id for orgs in self.organizations_by_role.values() for org in orgs)

    def reports_for(self, organization):
        """True when the user may enter this organization's data: its own partner, or the backbone."""
        organization_id = getattr(organization, "pk", organization)
        return self.is_coordinator or any(org.pk == organization_id for org in self.partner_organizations)


def get_membership(user, slug):
    """Return the user's Membership of the initiative ``slug``; raise Http404 if they have none."""
    participations = list(
        Participation.objects.filter(initiative__slug=slug, organization__members__user=user)
        .select_related("initiative", "organization")
        .distinct()
    )
    if participations:
        initiative = participations[0].initiative
    elif user.is_superuser:
        initiative = Initiative.objects.filter(slug=slug).first()
    else:
        initiative = None
    if initiative is None:
        raise Http404("No such initiative.")
    by_role = {}
    for participation in participations:
        by_role.setdefault(participation.role, []).append(participation.organization)
    return Membership(
        initiative=initiative,
        roles=frozenset(by_role),
        organizations_by_role=by_role,
        is_site_admin=user.is_superuser,
    )


def get_initiative_for_user(user, slug, *, coordinator=False, write=False):
    """Return the user's Membership of an initiative, enforcing the role the caller needs.

    ``coordinator=True`` requires the backbone role (or a site admin); ``write=True`` refuses
    members who only read (funders). Outsiders get 404 either way.
    """
    membership = get_membership(user, slug)
    if coordinator and not membership.is_coordinator:
        raise PermissionDenied
    if write and not membership.can_write:
        raise PermissionDenied
    return membership
