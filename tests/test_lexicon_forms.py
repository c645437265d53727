"""The common forms of each lexicon language: the nouns of what imagery sees (singular
and plural, nominative) and the past and present forms of the actions, each read alone.
A form missed here is missed in every report of that language (session 29 found
Ukrainian "корабель" and masculine past verbs, German "verließ", missing)."""

from __future__ import annotations

import pytest

from basewatch.corroborate import claims as C

# written for this test: everyday words of each language, not taken from any report
NOUNS = {
    "ru": (
        "фрегат, корвет, подводная лодка, десантный корабль, военный корабль, "
        "корабль, судно, вертолёт, вертолет, самолёт, самолет, колонна, грузовик, "
        "фрегаты, корабли, вертолёты, самолёты, грузовики, буксир, буксиры"
    ),
    "pl": (
        "fregata, korweta, okręt podwodny, okręt desantowy, okręt wojenny, okręt, "
        "statek, śmigłowiec, samolot, konwój, kolumna, ciężarówka, fregaty, korwety, "
        "okręty, statki, śmigłowce, samoloty, ciężarówki, holownik"
    ),
    "el": (
        "φρεγάτα, κορβέτα, υποβρύχιο, αποβατικό, πολεμικό πλοίο, πλοίο, ελικόπτερο, "
        "αεροσκάφος, αεροπλάνο, κομβόι, φάλαγγα, φορτηγό, φρεγάτες, κορβέτες, πλοία, "
        "ελικόπτερα, αεροσκάφη, φορτηγά, ρυμουλκό"
    ),
    "ro": (
        "fregata, fregată, corvetă, corveta, submarin, submarinul, navă de desant, "
        "navă de război, navă, nava, elicopter, elicopterul, avion, avionul, convoi, "
        "coloană, camion, fregate, corvete, nave, elicoptere, avioane, camioane, remorcher"
    ),
    "es": (
        "fragata, corbeta, submarino, buque de desembarco, buque de guerra, buque, "
        "barco, helicóptero, avión, convoy, columna, camión, fragatas, corbetas, "
        "buques, barcos, helicópteros, aviones, camiones, remolcador"
    ),
    "fr": (
        "frégate, corvette, sous-marin, navire de débarquement, navire de guerre, "
        "navire, hélicoptère, avion, convoi, colonne, camion, frégates, corvettes, "
        "navires, hélicoptères, avions, camions, remorqueur"
    ),
    "de": (
        "Fregatte, Korvette, U-Boot, Landungsschiff, Kriegsschiff, Schiff, "
        "Hubschrauber, Flugzeug, Konvoi, Kolonne, Lastwagen, Lkw, Fregatten, "
        "Korvetten, Schiffe, Flugzeuge, Schlepper, Frachtschiff, Frachtschiffe"
    ),
    "uk": (
        "фрегат, корвет, підводний човен, десантний корабель, військовий корабель, "
        "корабель, гелікоптер, вертоліт, літак, колона, вантажівка, фрегати, кораблі, "
        "гелікоптери, літаки, вантажівки, буксир, Мі-24, Ту-154, Іл-20, Панцир"
    ),
    "ar": (
        "فرقاطة, كورفيت, غواصة, سفينة إنزال, سفينة حربية, سفينة, مروحية, طائرة, "
        "قافلة, شاحنة, فرقاطات, سفن, مروحيات, طائرات, شاحنات"
    ),
}
VERBS = {
    "ru": {
        "departing": (
            "покинул, покинула, покинули, ушёл, ушла, ушли, вылетел, вылетели, "
            "улетел, улетели, вышел, вышли, отплыл"
        ),
        "arriving": (
            "прибыл, прибыли, прилетел, прилетели, приземлился, приземлились, вошёл, вошли, зашёл"
        ),
        "stationed": ("стоит, стоят, стоял, стояли, находится, находятся"),
    },
    "pl": {
        "departing": (
            "opuścił, opuściła, opuściły, opuścili, odleciał, odleciały, wypłynął, "
            "wypłynęła, wypłynęły, wyleciał, wyleciały"
        ),
        "arriving": (
            "przybył, przybyła, przybyły, wylądował, wylądowały, wpłynął, wpłynęła, "
            "przyleciał, przyleciały"
        ),
        "stationed": ("stoi, stoją, stał, stały, znajduje, znajdują"),
    },
    "el": {
        "departing": (
            "αναχώρησε, αναχώρησαν, απογειώθηκε, απογειώθηκαν, έφυγε, έφυγαν, απέπλευσε, απέπλευσαν"
        ),
        "arriving": ("έφτασε, έφτασαν, προσγειώθηκε, προσγειώθηκαν, κατέπλευσε, κατέπλευσαν"),
        "stationed": ("βρίσκεται, βρίσκονται, παραμένει, παραμένουν"),
    },
    "ro": {
        "departing": ("a părăsit, au părăsit, a decolat, au decolat, a plecat, au plecat"),
        "arriving": ("a sosit, au sosit, a aterizat, au aterizat, a acostat"),
        "stationed": ("se află, staționează, rămâne, rămân"),
    },
    "es": {
        "departing": (
            "zarpó, zarparon, despegó, despegaron, abandonó, abandonaron, salió, salieron"
        ),
        "arriving": ("llegó, llegaron, aterrizó, aterrizaron, atracó, atracaron"),
        "stationed": ("permanece, permanecen"),
    },
    "fr": {
        "departing": (
            "a quitté, ont quitté, a décollé, ont décollé, a appareillé, est parti, sont partis"
        ),
        "arriving": ("est arrivé, sont arrivés, a atterri, ont atterri, a accosté"),
        "stationed": ("stationne, stationnent, se trouve, se trouvent"),
    },
    "de": {
        "departing": ("verließ, verließen, startete, starteten, verlassen, ausgelaufen"),
        "arriving": ("landete, landeten, eingetroffen, angekommen, eingelaufen"),
        "stationed": ("steht, stehen, liegt, liegen"),
    },
    "uk": {
        "departing": ("покинув, покинула, покинули, вийшов, вийшли, вилетів, вилетіли, відплив"),
        "arriving": ("прибув, прибули, приземлився, приземлилися, прилетів, прилетіли"),
        "stationed": ("стоїть, стоять, перебуває, перебувають"),
    },
    "ar": {
        "departing": ("غادرت, غادر, أقلعت, أقلع, أبحرت"),
        "arriving": ("وصلت, وصل, هبطت, هبط, رست"),
        "stationed": ("ترسو, تتمركز, موجودة"),
    },
}


@pytest.mark.parametrize("language", sorted(NOUNS))
def test_every_common_noun_names_equipment(language: str) -> None:
    vocab = C._vocab(language)
    words = NOUNS[language].split(", ")
    missed = [w for w in words if not C._equipment_mentions(w, 0, len(w), vocab)]
    assert missed == []


# the other actions, and more forms of the ones above
MORE_VERBS = {
    "ru": {
        "loading": "загружается, загружают, погрузка, грузят",
        "dismantling": "демонтирован, демонтированы, разобран, разобраны, демонтаж, разбирают",
        "departing": "снялся с якоря, исчез, исчезли, отплыли",
        "arriving": "пришвартовался, прибыла",
    },
    "uk": {
        "loading": "завантажується, завантажують, навантаження",
        "dismantling": "демонтовано, демонтований, розібрали, розібрано",
        "departing": "відпливли, зникли",
        "arriving": "пришвартувався, прибула",
    },
    "pl": {
        "loading": "załadunek, załadowano, ładowane, ładują",
        "dismantling": "zdemontowano, rozebrano, demontaż, rozmontowano",
        "departing": "odpłynął, odpłynęły, zniknął, zniknęły",
        "arriving": "zacumował, zawinął, przypłynął",
    },
    "el": {
        "loading": "φορτώνει, φορτώνονται, φόρτωση",
        "dismantling": "αποσυναρμολογήθηκε, αποσυναρμολογούνται, αποσυναρμολόγηση",
        "departing": "εξαφανίστηκε, εξαφανίστηκαν",
        "arriving": "έδεσε",
    },
    "ro": {
        "loading": "încărcat, încărcate, se încarcă, încărcare",
        "dismantling": "demontat, demontate, dezasamblat",
        "departing": "a dispărut, au dispărut",
        "arriving": "au ajuns, a ajuns",
    },
    "es": {
        "loading": "cargando, cargado, carga",
        "dismantling": "desmontado, desmontados, desmontaje, desmantelado",
        "departing": "desapareció, desaparecieron",
        "arriving": "atracó",
    },
    "fr": {
        "loading": "chargé, chargés, chargement",
        "dismantling": "démonté, démontés, démontage",
        "departing": "a disparu, ont disparu",
        "arriving": "a accosté",
    },
    "de": {
        "loading": "verladen, beladen, geladen",
        "dismantling": "demontiert, zerlegt, abgebaut",
        "departing": "verschwunden",
        "arriving": "angelegt",
    },
    "ar": {
        "loading": "تحميل, يتم تحميل",
        "dismantling": "تفكيك, فككت",
        "departing": "اختفت",
        "arriving": "رست",
    },
}


@pytest.mark.parametrize("language", sorted(VERBS))
def test_every_common_verb_form_names_its_action(language: str) -> None:
    vocab = C._vocab(language)
    missed = [
        (w, kind)
        for table in (VERBS, MORE_VERBS)
        for kind, words in table[language].items()
        for w in words.split(", ")
        if kind not in [a.key for a in C._actions(w, 0, len(w), vocab)]
    ]
    assert missed == []
