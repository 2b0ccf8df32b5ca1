"""A demo organiser, event and attendees, so a newcomer has something to click."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select

from rencontre.attendees import service as attendee_service
from rencontre.attendees.schemas import AttendeeCreate
from rencontre.auth import service as auth_service
from rencontre.auth.passwords import hash_password
from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory, session_scope
from rencontre.events import service as event_service
from rencontre.events.schemas import EventCreate
from rencontre.kit.time import utcnow
from rencontre.models import Organiser

DEMO_EMAIL = "organiser@rencontre.demo"

_PEOPLE = [
    ("Zoé Lefèvre", "Atelier Lumière", "Directrice artistique"),
    ("Mathieu Dubois", "Banque Populaire du Nord", "Chargé d'affaires"),
    ("Amélie Nguyen", "Qonto", "Product Manager"),
    ("Jérôme Martin", "Ville de Lyon", "Chef de projet numérique"),
    ("Chloé Bernard", "Doctolib", "UX Researcher"),
    ("François Girard", "Girard & Fils", "Gérant"),
    ("Inès Benali", "Station F", "Program Manager"),
    ("Noah Petit", "Alan", "Software Engineer"),
    ("Léa Moreau", "Le Wagon", "Head of Partnerships"),
    ("Hugo Laurent", "Sopra Steria", "Consultant"),
    ("Emma Roux", "BlaBlaCar", "Data Scientist"),
    ("Lucas Fournier", "Indépendant", "Photographe"),
    ("Manon Faure", "Ouest-France", "Journaliste"),
    ("Yasmine El Amrani", "Schneider Electric", "Ingénieure énergie"),
    ("Théo Chevalier", "Mairie de Nantes", "Élu délégué à l'innovation"),
    ("Camille Durand", "Back Market", "Talent Acquisition"),
    ("Olivia Smith", "Monzo", "Engineering Manager"),
    ("James O'Connor", "Stripe", "Solutions Architect"),
    ("Priya Patel", "Wise", "Product Designer"),
    ("Liam Walsh", "Intercom", "Customer Success Lead"),
    ("Sophie Müller", "N26", "Compliance Officer"),
    ("Daniel Kim", "Deliveroo", "Backend Developer"),
    ("Grace Thompson", "Oxfam", "Fundraising Manager"),
    ("Ahmed Hassan", "Arm", "Hardware Engineer"),
    ("Hannah Becker", "Zalando", "Marketing Lead"),
    ("Oliver Brown", "The Guardian", "Tech Reporter"),
    ("Mei Chen", "Revolut", "Risk Analyst"),
    ("Lucía García", "Cabify", "Operations Manager"),
    ("Jakub Nowak", "JetBrains", "Developer Advocate"),
    ("Aïcha Diallo", "Orange", "Responsable RSE"),
    ("Bastien Rousseau", "OVHcloud", "Architecte cloud"),
    ("Margaux Lambert", "Ubisoft", "Game Designer"),
    ("Sébastien Morel", "Crédit Agricole", "Directeur innovation"),
    ("Élodie Fontaine", "Institut Pasteur", "Chercheuse"),
    ("Arthur Gauthier", "Mistral AI", "Research Engineer"),
    ("Clara Mercier", "Malt", "Community Manager"),
]


def _email(name: str, company: str) -> str:
    from rencontre.kit.text import slugify

    return f"{slugify(name, max_length=40).replace('-', '.')}@{slugify(company, max_length=30)}.example"


async def create_organiser_account(settings: Settings, email: str, name: str, password: str) -> None:
    engine = create_engine(settings)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            taken = await session.scalar(
                select(Organiser.id).where(func.lower(Organiser.email) == email.lower())
            )
            if taken:
                raise ValueError(f"an organiser with the e-mail {email} already exists")
            session.add(Organiser(email=email.lower(), name=name, password_hash=hash_password(password)))
    finally:
        await engine.dispose()


async def seed_demo(settings: Settings) -> list[str]:
    engine = create_engine(settings)
    try:
        async with session_scope(create_session_factory(engine)) as session:
            if await session.scalar(select(func.count()).select_from(Organiser)):
                return ["The database already has data; the demo was not added."]
            password = secrets.token_urlsafe(9)
            organiser = Organiser(
                email=DEMO_EMAIL, name="Équipe Rencontre", password_hash=hash_password(password)
            )
            session.add(organiser)
            await session.flush()
            start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
            event = await event_service.create_event(
                session,
                organiser,
                EventCreate(
                    name="Soirée Rencontre — Lyon Tech",
                    starts_at=start,
                    ends_at=start + timedelta(hours=5),
                    timezone="Europe/Paris",
                    venue="La Sucrière, Lyon",
                ),
            )
            attendees = [
                await attendee_service.add_attendee(
                    session,
                    event,
                    AttendeeCreate(name=name, email=_email(name, company), company=company, job_title=title),
                )
                for name, company, title in _PEOPLE
            ]
            lines = [
                f"Demo event: {event.name} ({len(attendees)} attendees)",
                f"Organiser console: {settings.public_base_url}/console",
                f"  e-mail:   {DEMO_EMAIL}",
                f"  password: {password}",
                "Join links of a few attendees (each works once: open it in its own browser profile):",
            ]
            lines += [f"  {a.name}: {auth_service.invite_link(settings, a)}" for a in attendees[:4]]
            return lines
    finally:
        await engine.dispose()
