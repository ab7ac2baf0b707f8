//! The analyses the panels show, run off the path from an edit to its frame, and the design
//! the inspector shows, with its selection.

use std::collections::BTreeSet;
use std::rc::Rc;

use moat_model::{Design, check};
use yew::prelude::*;

use crate::browser;
use crate::shared::Shared;

/// What the panels show: the analyses of one design.
pub struct Analyses {
    pub design: Rc<Design>,
    pub problems: Rc<Vec<moat_model::Problem>>,
    pub report: Rc<moat_model::rules::Report>,
    pub flows: Rc<Vec<(String, moat_model::reach::Answer)>>,
}

impl Analyses {
    fn of(design: Rc<Design>) -> Analyses {
        Analyses {
            problems: Rc::new(check(&design)),
            report: Rc::new(moat_model::rules::validate(&design)),
            flows: Rc::new(moat_model::reach::flow_verdicts(&design)),
            design,
        }
    }

    /// The analyses of `design`, keeping each answer of `self` that is the same: most edits
    /// change few findings, and a panel whose answer is the very same one is not drawn again.
    /// A move gives the same answers without running them: no analysis reads the layout.
    fn after(&self, design: Rc<Design>) -> Analyses {
        fn keep<T: PartialEq>(old: &Rc<T>, new: Rc<T>) -> Rc<T> {
            if *old == new { old.clone() } else { new }
        }
        if self.design.same_apart_from_layout(&design) {
            let (problems, report, flows) = (self.problems.clone(), self.report.clone(), self.flows.clone());
            return Analyses { design, problems, report, flows };
        }
        let fresh = Analyses::of(design);
        Analyses {
            problems: keep(&self.problems, fresh.problems),
            report: keep(&self.report, fresh.report),
            flows: keep(&self.flows, fresh.flows),
            design: fresh.design,
        }
    }
}

/// The analyses of the design, off the path from an edit to the frame that shows it: the
/// first render analyses at once; after that, when the design changed while `idle` (no
/// gesture in progress), they run just after that frame is painted, and
/// the last answers stand until then. A newer edit replaces a run still waiting.
#[hook]
pub fn use_analyses(design: &Rc<Design>, idle: bool) -> Rc<Analyses> {
    let current = use_state(|| Rc::new(Analyses::of(design.clone())));
    let waiting = use_mut_ref(|| None::<browser::LaterTask>);
    let wanted = idle && !Rc::ptr_eq(&current.design, design);
    {
        // The answers shown now, which the next run compares its own with.
        let (set, shown) = (current.setter(), (*current).clone());
        use_effect_with((Shared(design.clone()), wanted), move |(design, wanted)| {
            // The run that has just finished is still in its own callback: leave it be.
            if *wanted {
                let design = design.0.clone();
                // Replacing a run that has not started cancels it.
                *waiting.borrow_mut() =
                    Some(browser::after_paint(ANALYSIS_DEADLINE_MS, move || set.set(Rc::new(shown.after(design)))));
            }
        });
    }
    (*current).clone()
}

/// How long the analyses of an edit wait for a frame at most (a hidden page paints none).
const ANALYSIS_DEADLINE_MS: i32 = 200;

/// The design the inspector shows: the design as it was when it last settled (during a
/// drag, the one from before it), kept over a move, since the inspector shows no positions
/// (so a drop does not redraw it).
#[hook]
pub fn use_inspected_design(design: &Rc<Design>, idle: bool) -> Rc<Design> {
    let kept = use_mut_ref(|| design.clone());
    if idle && !kept.borrow().same_apart_from_layout(design) {
        *kept.borrow_mut() = design.clone();
    }
    kept.borrow().clone()
}

/// The selection the inspector shows: the latest one, but one frame late. A press that selects
/// an element is drawn (highlighted, ready to drag) in the frame it asks for; the inspector's
/// rows for it, hundreds of nodes for a VM, follow just after that frame is painted, or after
/// the drop if the press became a drag first (`dragging`: their frames stay the canvas's).
/// Returns what to show and whether it is behind the latest selection.
#[hook]
pub fn use_inspected_selection(selection: &BTreeSet<String>, dragging: bool) -> (BTreeSet<String>, bool) {
    let shown = use_state_eq(|| selection.clone());
    let waiting = use_mut_ref(|| None::<browser::LaterTask>);
    {
        let set = shown.setter();
        use_effect_with((selection.clone(), dragging), move |(selection, dragging)| {
            // Replacing a task that has not run cancels it.
            *waiting.borrow_mut() = (!*dragging).then(|| {
                let selection = selection.clone();
                browser::after_paint(ANALYSIS_DEADLINE_MS, move || set.set(selection))
            });
        });
    }
    let behind = *shown != *selection;
    ((*shown).clone(), behind)
}
