from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from redthread.accounts import predicates
from redthread.accounts.typing import RequestUser
from redthread.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    PROGRAM_OFFICE = "program_office", _("Programkontor")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Finansiär")
    STAKEHOLDER = "stakeholder", _("Intressent")
    RESEARCH = "research", _("Forskningsaktör")
    COMPANY = "company", _("Företag")


class NutsRegion(models.TextChoices):
    """Sweden's eight NUTS2 regions (riksområden): also Produktionslyftet's eight nodes."""

    SE11 = "SE11", _("Stockholm")
    SE12 = "SE12", _("Östra Mellansverige")
    SE21 = "SE21", _("Småland med öarna")
    SE22 = "SE22", _("Sydsverige")
    SE23 = "SE23", _("Västsverige")
    SE31 = "SE31", _("Norra Mellansverige")
    SE32 = "SE32", _("Mellersta Norrland")
    SE33 = "SE33", _("Övre Norrland")


class SniVersion(models.TextChoices):
    SNI2007 = "2007", _("SNI 2007")
    SNI2025 = "2025", _("SNI 2025")


class SizeClass(models.TextChoices):
    """The EU SME size classes by headcount (Recommendation 2003/361/EC). The turnover and
    balance-sheet ceilings are alternatives to each other and the balance sheet is not
    recorded, so the class is derived from the headcount alone."""

    MICRO = "micro", _("Mikroföretag (under 10 anställda)")
    SMALL = "small", _("Litet företag (10–49 anställda)")
    MEDIUM = "medium", _("Medelstort företag (50–249 anställda)")
    LARGE = "large", _("Stort företag (250 anställda eller fler)")


#: Headcount bounds of each size class: lower inclusive, upper exclusive (None: no bound).
SIZE_CLASS_BOUNDS: dict[str, tuple[int, int | None]] = {
    SizeClass.MICRO: (0, 10),
    SizeClass.SMALL: (10, 50),
    SizeClass.MEDIUM: (50, 250),
    SizeClass.LARGE: (250, None),
}


def size_class_for(headcount: int | None) -> SizeClass | None:
    if headcount is None:
        return None
    for size, (low, high) in SIZE_CLASS_BOUNDS.items():
        if headcount >= low and (high is None or headcount < high):
            return SizeClass(size)
    return None


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: RequestUser) -> OrganisationQuerySet:
        """Public organisations (the office, partners, funders, stakeholders, research) are
        visible to every signed-in user. Companies: the office sees all, a partner manager
        those its partner is responsible for, a coach those it coaches (lead or co-coach
        of one of their engagements, whichever partner is responsible), company users
        their own; funders and editors none (they see companies only as counts in
        reports). Every other model's company scope (people, key figures, state aid)
        follows from this one."""
        if not predicates.is_signed_in(user):
            return self.none()
        if predicates.is_program_office(user):
            return self.all()
        public = ~Q(kind=OrganisationKind.COMPANY)
        if predicates.is_partner_manager(user):
            partners = predicates.organisation_ids(user, OrganisationKind.PARTNER)
            return self.filter(public | Q(responsible_partner__in=partners))
        if predicates.is_coach(user):
            return self.filter(public | Q(pk__in=self.coached_by(user).values("pk")))
        if predicates.is_company_user(user):
            companies = predicates.organisation_ids(user, OrganisationKind.COMPANY)
            return self.filter(public | Q(pk__in=companies))
        return self.filter(public)

    def coached_by(self, user: RequestUser) -> OrganisationQuerySet:
        """The companies ``user`` coaches: lead coach or co-coach of one of their
        engagements, in any status. Reached through the engagements' relation, so that
        the registry imports nothing above it."""
        return self.model.objects.filter(
            Q(engagements__lead_coach=user) | Q(engagements__coaches=user)
        ).distinct()


class Organisation(TimeStampedModel):
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=60, blank=True)
    slug = models.SlugField(_("kortadress"), max_length=80, unique=True)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=10,
        blank=True,
        help_text=_("Tio siffror, lagras utan bindestreck."),
    )
    website = models.URLField(_("webbplats"), blank=True)
    region = models.CharField(
        _("region (NUTS2)"), max_length=4, choices=NutsRegion.choices, blank=True
    )
    description = models.TextField(_("beskrivning"), blank=True)
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted",
        verbose_name=_("värdorganisation"),
    )
    responsible_partner = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
        verbose_name=_("ansvarig partner"),
    )
    # Where it is: a company's region, county and urban–rural type follow from this.
    municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kommun"),
    )
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    postal_town = models.CharField(_("postort"), max_length=100, blank=True)
    # Company facts. SNI codes come in two versions (SNI 2007 in older files, SNI 2025 in
    # SCB's register since 2025): the version is stored with the code.
    sni_code = models.CharField(_("SNI-kod"), max_length=5, blank=True)
    sni_version = models.CharField(
        _("SNI-version"), max_length=4, choices=SniVersion.choices, blank=True
    )
    sni_note = models.CharField(
        _("anmärkning om SNI-koden"),
        max_length=200,
        blank=True,
        help_text=_("Satt när koden inte kunde kontrolleras fullt ut mot den levererade listan."),
    )
    headcount = models.PositiveIntegerField(_("antal anställda"), null=True, blank=True)
    turnover_sek = models.BigIntegerField(_("omsättning (kr)"), null=True, blank=True)

    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique",
            )
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation_detail", kwargs={"slug": self.slug})

    @property
    def size_class(self) -> SizeClass | None:
        return size_class_for(self.headcount)

    @property
    def is_company(self) -> bool:
        return self.kind == OrganisationKind.COMPANY

    @property
    def org_number_display(self) -> str:
        return f"{self.org_number[:6]}-{self.org_number[6:]}" if len(self.org_number) == 10 else ""


# Reference data: Swedish lookup tables, loaded from the files under redthread/data/reference/
# by services.reference_data_load(). Codes are text: they keep their leading zeros.


county_code_validator = RegexValidator(r"^[0-9]{2}$", _("Länskoden är två siffror."))
municipality_code_validator = RegexValidator(r"^[0-9]{4}$", _("Kommunkoden är fyra siffror."))


class NutsArea(models.Model):
    """A NUTS2 region (riksområde), e.g. SE11 Stockholm."""

    code = models.CharField(
        _("kod"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^SE[0-9]{2}$", _("NUTS2-koden är SE och två siffror."))],
    )
    name = models.CharField(_("namn"), max_length=60)

    class Meta:
        verbose_name = _("riksområde (NUTS2)")
        verbose_name_plural = _("riksområden (NUTS2)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class County(models.Model):
    """A county (län), with SCB's two-digit code."""

    code = models.CharField(
        _("länskod"), max_length=2, unique=True, validators=[county_code_validator]
    )
    name = models.CharField(_("namn"), max_length=60)
    nuts = models.ForeignKey(
        NutsArea,
        on_delete=models.PROTECT,
        related_name="counties",
        verbose_name=_("riksområde (NUTS2)"),
    )

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommun), with SCB's four-digit code; its first two digits are the
    county's code."""

    code = models.CharField(
        _("kommunkod"), max_length=4, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("namn"), max_length=60)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("län"),
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UrbanRuralGroup(models.TextChoices):
    """The three groups of Tillväxtanalys' urban–rural classification."""

    METROPOLITAN = "storstad", _("Storstadskommuner")
    DENSE = "tata", _("Täta kommuner")
    RURAL = "landsbygd", _("Landsbygdskommuner")


class UrbanRuralType(models.TextChoices):
    """The six municipality types of Tillväxtanalys' urban–rural classification."""

    METROPOLITAN = "storstad", _("Storstadskommuner")
    DENSE_CLOSE = "tata_nara", _("Täta kommuner nära en större stad")
    DENSE_REMOTE = "tata_avlagset", _("Täta kommuner avlägset belägna")
    RURAL_CLOSE = "landsbygd_nara", _("Landsbygdskommuner nära en större stad")
    RURAL_REMOTE = "landsbygd_avlagset", _("Landsbygdskommuner avlägset belägna")
    RURAL_VERY_REMOTE = "landsbygd_mycket_avlagset", _("Landsbygdskommuner mycket avlägset belägna")

    @property
    def group(self) -> UrbanRuralGroup:
        return URBAN_RURAL_GROUP[self]


URBAN_RURAL_GROUP: dict[str, UrbanRuralGroup] = {
    UrbanRuralType.METROPOLITAN: UrbanRuralGroup.METROPOLITAN,
    UrbanRuralType.DENSE_CLOSE: UrbanRuralGroup.DENSE,
    UrbanRuralType.DENSE_REMOTE: UrbanRuralGroup.DENSE,
    UrbanRuralType.RURAL_CLOSE: UrbanRuralGroup.RURAL,
    UrbanRuralType.RURAL_REMOTE: UrbanRuralGroup.RURAL,
    UrbanRuralType.RURAL_VERY_REMOTE: UrbanRuralGroup.RURAL,
}


class UrbanRuralClassification(models.Model):
    """One version of the urban–rural classification of the municipalities (Tillväxtanalys,
    2014 and the 2021 update). Filled only by importing the published file: no
    classification ships with the code, and one not marked official is never shown as such."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    source = models.TextField(
        _("källa"), help_text=_("Var filen kommer ifrån (utgivare, fil, adress).")
    )
    is_official = models.BooleanField(
        _("officiell"),
        default=False,
        help_text=_("Importerad ur den officiella filen, inte en uppskattning."),
    )
    imported_at = models.DateTimeField(_("importerad"), default=timezone.now)

    class Meta:
        verbose_name = _("stad–land-klassificering")
        verbose_name_plural = _("stad–land-klassificeringar")
        ordering = ["-version"]

    def __str__(self) -> str:
        return self.version


class MunicipalityType(models.Model):
    """A municipality's type in one version of the urban–rural classification."""

    classification = models.ForeignKey(
        UrbanRuralClassification,
        on_delete=models.CASCADE,
        related_name="municipality_types",
        verbose_name=_("klassificering"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="types",
        verbose_name=_("kommun"),
    )
    type = models.CharField(_("kommuntyp"), max_length=30, choices=UrbanRuralType.choices)

    class Meta:
        verbose_name = _("kommuntyp")
        verbose_name_plural = _("kommuntyper")
        ordering = ["classification", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "municipality"],
                name="municipalitytype_classification_municipality_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.type} ({self.classification_id})"

    @property
    def group(self) -> UrbanRuralGroup:
        return URBAN_RURAL_GROUP[self.type]


class SniLevel(models.TextChoices):
    SECTION = "section", _("avdelning")
    DIVISION = "division", _("huvudgrupp")
    GROUP = "group", _("grupp")
    CLASS = "class", _("undergrupp")
    SUBCLASS = "subclass", _("detaljgrupp")


class SniCode(models.Model):
    """A code of the Swedish industry classification, with its version: SNI 2007 (NACE
    Rev. 2) and SNI 2025 (NACE Rev. 2.1) both occur in programme files."""

    version = models.CharField(_("version"), max_length=4, choices=SniVersion.choices)
    code = models.CharField(_("kod"), max_length=5)
    label = models.CharField(_("benämning"), max_length=300)
    level = models.CharField(_("nivå"), max_length=10, choices=SniLevel.choices)
    section = models.CharField(_("avdelning"), max_length=1)
    division = models.CharField(_("huvudgrupp"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("SNI-kod")
        verbose_name_plural = _("SNI-koder")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="snicode_version_code_unique")
        ]
        indexes = [models.Index(fields=["version", "division"])]

    def __str__(self) -> str:
        return f"{self.code} {self.label} (SNI {self.version})"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "other", _("Annat")


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: RequestUser) -> PersonQuerySet:
        """People are personal data: visible only with their organisation, and never to
        funders or editors, whatever organisations those can see."""
        if not (
            predicates.is_program_office(user)
            or predicates.is_partner_staff(user)
            or predicates.is_company_user(user)
        ):
            return self.none()
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class Person(TimeStampedModel):
    """A contact at an organisation: a GDPR data subject."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    email = models.EmailField(_("e-postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    gender = models.CharField(_("kön"), max_length=8, choices=Gender.choices, blank=True)
    left_on = models.DateField(
        _("slutade på organisationen"),
        null=True,
        blank=True,
        help_text=_(
            "Personuppgifterna anonymiseras när gallringstiden efter detta datum har gått."
        ),
    )
    # Only a partner's contact is shown publicly ("Produktionslyftets partner"), and only
    # when the office marks it so; a company's contacts never are.
    published = models.BooleanField(
        _("visas på den publika webbplatsen"),
        default=False,
        help_text=_(
            "Namn, befattning och telefonnummer visas på den publika partnersidan; "
            "e-postadressen visas aldrig."
        ),
    )

    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MergeRecord(models.Model):
    """What a merge of two records of the same company did: which record was kept, which
    was removed (its name and number), by whom, and what moved over."""

    kept = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="merges", verbose_name=_("behållen")
    )
    removed_name = models.CharField(_("borttagen post"), max_length=200)
    removed_org_number = models.CharField(
        _("borttaget organisationsnummer"), max_length=10, blank=True
    )
    removed_id = models.BigIntegerField(_("borttagen posts id"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sammanfogad av"),
    )
    merged_at = models.DateTimeField(_("sammanfogad"), default=timezone.now)
    summary = models.JSONField(_("sammanfattning"), default=dict)

    class Meta:
        verbose_name = _("sammanfogning")
        verbose_name_plural = _("sammanfogningar")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept}"


class ConsentPurpose(models.TextChoices):
    """What a contact person may agree to beyond the program itself (which needs no
    consent: it is the agreement with the company)."""

    NEWS = "news", _("Nyhetsbrev och inbjudningar till träffar")
    CASE_STUDY = "case_study", _("Att synas med namn och bild i loggen eller ett reportage")
    FOLLOW_UP = "follow_up", _("Uppföljande intervjuer och forskning")
    #: Given on a public form (an application, a message): to be answered, nothing more.
    CONTACT = (
        "contact",
        _(
            "Att programkontoret behandlar uppgifterna för att svara på en ansökan eller ett "
            "meddelande"
        ),
    )


class Consent(models.Model):
    """A contact person's consent to one purpose: when it was given, when withdrawn, and
    who recorded it. Rows are never changed but to record a withdrawal, so the record
    shows what held on any day."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("kontaktperson")
    )
    purpose = models.CharField(_("ändamål"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("givet"))
    withdrawn_on = models.DateField(_("återkallat"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        ordering = ["person", "purpose", "-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_standing_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_purpose_display()}"
