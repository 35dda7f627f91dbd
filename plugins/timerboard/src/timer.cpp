#include "timer.hpp"

#include <algorithm>
#include <array>

#include "text.hpp"

namespace timerboard {
namespace {

// Upstream's Timer.Structure choices, in its order, with its labels. Labels
// that are EVE names or abbreviations are still message ids, so a catalog
// can give a localised name.
constexpr std::array kStructures{
    Choice{"POCO", gettext_noop("POCO")},
    Choice{"Orbital Skyhook", gettext_noop("Orbital Skyhook")},
    Choice{"I-HUB", gettext_noop("Sovereignty Hub")},
    Choice{"TCU", gettext_noop("TCU")},
    Choice{"POS[S]", gettext_noop("POS [S]")},
    Choice{"POS[M]", gettext_noop("POS [M]")},
    Choice{"POS[L]", gettext_noop("POS [L]")},
    Choice{"Astrahus", gettext_noop("Astrahus")},
    Choice{"Fortizar", gettext_noop("Fortizar")},
    Choice{"Keepstar", gettext_noop("Keepstar")},
    Choice{"Raitaru", gettext_noop("Raitaru")},
    Choice{"Azbel", gettext_noop("Azbel")},
    Choice{"Sotiyo", gettext_noop("Sotiyo")},
    Choice{"Athanor", gettext_noop("Athanor")},
    Choice{"Tatara", gettext_noop("Tatara")},
    Choice{"Pharolux Cyno Beacon", gettext_noop("Cyno Beacon")},
    Choice{"Tenebrex Cyno Jammer", gettext_noop("Cyno Jammer")},
    Choice{"Ansiblex Jump Gate", gettext_noop("Ansiblex Jump Gate")},
    Choice{"Mercenary Den", gettext_noop("Mercenary Den")},
    Choice{"Moon Mining Cycle", gettext_noop("Moon Mining Cycle")},
    Choice{"Metenox Moon Drill", gettext_noop("Metenox Moon Drill")},
    Choice{"Other", gettext_noop("Other")},
};

// Upstream's Timer.TimerType choices.
constexpr std::array kTimerTypes{
    Choice{"UNSPECIFIED", gettext_noop("Not Specified")},
    Choice{"SHIELD", gettext_noop("Shield")},
    Choice{"ARMOR", gettext_noop("Armor")},
    Choice{"HULL", gettext_noop("Hull")},
    Choice{"FINAL", gettext_noop("Final")},
    Choice{"ANCHORING", gettext_noop("Anchoring")},
    Choice{"UNANCHORING", gettext_noop("Unanchoring")},
    Choice{"ABANDONED", gettext_noop("Abandoned")},
    Choice{"THEFT", gettext_noop("Theft")},
};

// Upstream's Timer.Objective choices.
constexpr std::array kObjectives{
    Choice{"Friendly", gettext_noop("Friendly")},
    Choice{"Hostile", gettext_noop("Hostile")},
    Choice{"Neutral", gettext_noop("Neutral")},
};

}  // namespace

std::span<const Choice> structure_choices() { return kStructures; }
std::span<const Choice> timer_type_choices() { return kTimerTypes; }
std::span<const Choice> objective_choices() { return kObjectives; }

std::optional<Choice> find_choice(std::span<const Choice> choices, std::string_view code) {
  auto it = std::find_if(choices.begin(), choices.end(), [&](const Choice& choice) { return choice.code == code; });
  if (it == choices.end()) return std::nullopt;
  return *it;
}

}  // namespace timerboard
