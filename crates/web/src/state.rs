//! The editor's state and every action on it, as a Yew reducer. The design is the
//! document; everything else here (selection, viewport, the gesture in progress, the
//! history) is session state and never saved. Decisions about the design are the model's
//! (`moat_model::edit`); this module only routes gestures to them.

use std::collections::BTreeSet;
use std::rc::Rc;

use moat_model::design::Rect;
use moat_model::edit::{self, Clipboard};
use moat_model::element::ElementKind;
use moat_model::history::History;
use moat_model::layout::effective_layout;
use moat_model::link::LinkKind;
use moat_model::{Design, ElementId, format};
use serde_json::Value;
use yew::Reducible;

/// Where the canvas shows the design: screen = canvas × zoom + offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { x: 40.0, y: 40.0, zoom: 1.0 }
    }
}

impl Viewport {
    pub fn to_canvas(&self, (sx, sy): (f64, f64)) -> (f64, f64) {
        ((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    /// Zooms by `factor`, keeping the canvas point under `screen` where it is.
    pub fn zoomed(&self, factor: f64, screen: (f64, f64)) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, 4.0);
        let (cx, cy) = self.to_canvas(screen);
        Viewport { x: screen.0 - cx * zoom, y: screen.1 - cy * zoom, zoom }
    }

    /// Shows the whole of `extent` in a screen of `size`, with a margin. An extent too large
    /// to fit even at the smallest zoom is shown from its top-left corner, where a design
    /// starts, rather than from its middle.
    pub fn fitting(extent: Rect, size: (f64, f64)) -> Viewport {
        let margin = 32.0;
        if extent.w <= 0.0 || extent.h <= 0.0 || size.0 <= 2.0 * margin || size.1 <= 2.0 * margin {
            return Viewport::default();
        }
        let wanted = ((size.0 - 2.0 * margin) / extent.w).min((size.1 - 2.0 * margin) / extent.h);
        let zoom = wanted.clamp(MIN_ZOOM, 1.5);
        let placed = |screen: f64, start: f64, length: f64| {
            let free = screen - length * zoom;
            if free >= 0.0 { free / 2.0 - start * zoom } else { margin - start * zoom }
        };
        Viewport { x: placed(size.0, extent.x, extent.w), y: placed(size.1, extent.y, extent.h), zoom }
    }
}

/// The smallest zoom: below it a design's text is lost and every element drawn at once.
const MIN_ZOOM: f64 = 0.1;

/// What is under the pointer when a gesture starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Canvas,
    Element(String),
    Link(String),
    ResizeHandle(String),
    ConnectHandle(String),
    Palette(ElementKind),
}

/// A pointer gesture in progress.
#[derive(Clone, Debug, PartialEq)]
pub enum Gesture {
    /// Dragging the selected elements from `start` (canvas units). The design stays as it
    /// was until the drop: the canvas draws the moving elements `offset` away, so a drag
    /// step redraws only them. The drop is one edit and one undo step.
    Move { ids: Vec<ElementId>, start: (f64, f64), offset: (f64, f64) },
    /// Dragging a rubber band from `start` (canvas units).
    Select { start: (f64, f64), current: (f64, f64), add: bool },
    /// Panning: the screen point and viewport where it started.
    Pan { start: (f64, f64), from: Viewport },
    /// Resizing a container from its bottom-right handle.
    Resize { id: ElementId, start: (f64, f64), rect: Rect, before: Rc<Design> },
    /// Drawing a link from an element's handle to `current`.
    Connect { from: String, current: (f64, f64) },
    /// Carrying a new element from the palette.
    Palette { kind: ElementKind, current: (f64, f64), over_canvas: bool },
}

/// Whether the design on screen is in local storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Pending,
}

/// A new element dropped where it cannot live: what it needs there, and the ways to place it
/// that the user can choose (either may be missing).
#[derive(Clone, Debug, PartialEq)]
pub struct DropOffer {
    pub kind: ElementKind,
    pub at: (f64, f64),
    /// The containers to create for it, from where (see `edit::containers_needed`).
    pub create: Option<(Option<ElementId>, Vec<edit::Container>)>,
    /// The nearest container it fits in, its name, and where in it the element goes.
    pub nearest: Option<(ElementId, String, (f64, f64))>,
}

/// Linking by keyboard: the element a link starts from and the elements it can go to, each
/// with its label.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectPicker {
    pub from: String,
    pub from_name: String,
    pub targets: Vec<(String, String)>,
}

/// How the user places a new element dropped where it cannot live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropChoice {
    /// In new containers made for it, where it was dropped.
    Create,
    /// In the nearest container it fits in.
    Nearest,
}

/// A link the user is choosing the kind of (several kinds fit the two ends).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkChoice {
    pub from: String,
    pub to: String,
    /// The names the two ends go by, which the choice shows.
    pub from_name: String,
    pub to_name: String,
    pub kinds: Vec<LinkKind>,
}

#[derive(Clone, Debug)]
pub struct Editor {
    pub design: Rc<Design>,
    pub history: History<Rc<Design>>,
    pub selection: BTreeSet<String>,
    pub viewport: Viewport,
    pub gesture: Option<Gesture>,
    /// A short message for the user (a refused drop, a link that cannot be made).
    pub hint: Option<String>,
    /// A file that could not be opened, with why; the design is untouched.
    pub error: Option<String>,
    pub clipboard: Clipboard,
    pub save_state: SaveState,
    /// Counts changes to the design, so autosave knows when to write.
    pub revision: u64,
    pub link_choice: Option<LinkChoice>,
    /// A new element dropped where it cannot live, and the ways offered to place it.
    pub drop_offer: Option<DropOffer>,
    /// The element a link is being made from by keyboard, and what it can be linked to.
    pub connect_picker: Option<ConnectPicker>,
    /// The sheet of keyboard shortcuts is shown.
    pub shortcuts_open: bool,
    /// Space is held: a drag pans.
    pub space_held: bool,
    /// Counts autosaves written, so views of the earlier versions know when to look again.
    pub saves: u64,
    /// The canvas's size on screen, so that what is added or moved by keyboard lands in view.
    pub canvas_size: (f64, f64),
}

impl PartialEq for Editor {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.design, &other.design)
            && self.selection == other.selection
            && self.viewport == other.viewport
            && self.gesture == other.gesture
            && self.hint == other.hint
            && self.error == other.error
            && self.save_state == other.save_state
            && self.link_choice == other.link_choice
            && self.drop_offer == other.drop_offer
            && self.connect_picker == other.connect_picker
            && self.shortcuts_open == other.shortcuts_open
            && self.space_held == other.space_held
            && self.history.can_undo() == other.history.can_undo()
            && self.history.can_redo() == other.history.can_redo()
    }
}

/// Everything the user can do.
#[derive(Clone, Debug)]
pub enum Action {
    /// Lay the whole design out again (`edit::tidy_up`), one undo step.
    TidyUp,
    /// Replace the design (New, Open, restore); undoable unless `fresh`.
    Replace {
        design: Box<Design>,
        fresh: bool,
    },
    /// Something the user asked for failed (a file that could not be opened or saved, an
    /// export, the autosave, a site file): the message is shown until dismissed.
    ShowError(String),
    DismissError,
    PointerDown {
        target: Target,
        canvas: (f64, f64),
        screen: (f64, f64),
        shift: bool,
        pan: bool,
    },
    PointerMove {
        canvas: (f64, f64),
        screen: (f64, f64),
        over_canvas: bool,
    },
    /// `over` is the element under the pointer, if any.
    PointerUp {
        canvas: (f64, f64),
        over: Option<String>,
    },
    Cancel,
    Select(Vec<String>),
    SelectAll,
    Delete,
    Copy,
    Paste,
    Duplicate,
    Nudge(f64, f64),
    SetField {
        target: String,
        path: String,
        value: Value,
    },
    SetDesignField {
        path: String,
        value: Value,
    },
    Undo,
    Redo,
    Zoom {
        factor: f64,
        screen: (f64, f64),
    },
    Pan(f64, f64),
    Fit {
        size: (f64, f64),
    },
    ChooseLink(LinkKind),
    /// Places the element of the drop offer as the user chose.
    PlaceDropped(DropChoice),
    /// Opens the list of what the one selected element can be linked to (the Connect command).
    StartConnect,
    /// Links (or associates) the element of the connect picker to this one.
    ConnectTo(String),
    /// Shows or hides the sheet of keyboard shortcuts.
    ToggleShortcuts,
    /// Select an element and bring it to the middle of a canvas of `size`.
    Focus {
        id: String,
        size: (f64, f64),
    },
    Suppress {
        rule: String,
        target: String,
        reason: String,
    },
    Unsuppress {
        rule: String,
        target: String,
    },
    /// Enter (or clear) a monthly price no price source has.
    SetPrice {
        element: String,
        monthly: Option<f64>,
    },
    SpaceHeld(bool),
    Saved,
    /// Tell the user something (a share link was made).
    Notify(String),
    /// Add an element from the keyboard: into the selected container (or at the top level).
    AddInSelection(ElementKind),
    /// The canvas was measured on screen (on mount and when the window is resized).
    CanvasResized((f64, f64)),
}

impl Editor {
    pub fn new(design: Design) -> Editor {
        Editor {
            design: Rc::new(design),
            history: History::default(),
            selection: BTreeSet::new(),
            viewport: Viewport::default(),
            gesture: None,
            hint: None,
            error: None,
            clipboard: Clipboard::default(),
            save_state: SaveState::Saved,
            revision: 0,
            link_choice: None,
            drop_offer: None,
            connect_picker: None,
            shortcuts_open: false,
            space_held: false,
            saves: 0,
            canvas_size: (1600.0, 1000.0),
        }
    }

    /// Applies one action; returns the new state.
    pub fn apply(mut self, action: Action) -> Editor {
        match action {
            Action::Replace { design, fresh } => {
                if fresh {
                    self.history.clear();
                } else {
                    self.history.record(self.design.clone());
                }
                self.design = Rc::new(*design);
                self.selection.clear();
                self.error = None;
                self.hint = None;
                self.changed();
            }
            Action::ShowError(message) => self.error = Some(message),
            Action::DismissError => self.error = None,
            Action::PointerDown { target, canvas, screen, shift, pan } => {
                self.pointer_down(target, canvas, screen, shift, pan)
            }
            Action::PointerMove { canvas, screen, over_canvas } => self.pointer_move(canvas, screen, over_canvas),
            Action::PointerUp { canvas, over } => self.pointer_up(canvas, over),
            Action::Cancel => {
                // Escape with nothing in progress deselects, as in draw.io.
                if self.gesture.is_none() && self.link_choice.is_none() {
                    self.selection.clear();
                }
                if let Some(Gesture::Resize { before, .. }) = &self.gesture {
                    self.design = before.clone();
                }
                self.gesture = None;
                self.link_choice = None;
                self.drop_offer = None;
                self.connect_picker = None;
                self.shortcuts_open = false;
                self.hint = None;
            }
            Action::Select(ids) => {
                self.selection = moat_model::sorting::set_of(ids);
            }
            Action::TidyUp => {
                self.edit(|design| {
                    edit::tidy_up(design);
                    Ok(())
                });
            }
            Action::SelectAll => {
                self.selection = moat_model::sorting::set_of(self.design.elements.iter().map(|e| e.id.0.clone()));
            }
            Action::Delete => {
                if !self.selection.is_empty() {
                    let ids: Vec<String> = self.selection.iter().cloned().collect();
                    self.edit(|design| {
                        edit::delete(design, &ids);
                        Ok(())
                    });
                    self.selection.clear();
                }
            }
            Action::Copy => {
                self.clipboard = edit::copy(&self.design, &self.selected_elements());
            }
            Action::Paste => {
                let clipboard = self.clipboard.clone();
                if self.paste_and_select(&clipboard) {
                    // Paste again further along, as draw.io does.
                    self.clipboard = edit::copy(&self.design, &self.selected_elements());
                }
            }
            Action::Duplicate => {
                let clipboard = edit::copy(&self.design, &self.selected_elements());
                self.paste_and_select(&clipboard);
            }
            Action::Nudge(dx, dy) => {
                let ids = self.selected_elements();
                if !ids.is_empty() {
                    self.edit(|design| {
                        edit::move_elements(design, &ids, dx, dy);
                        Ok(())
                    });
                    // The view follows what the keyboard moves.
                    self.follow(&ids);
                }
            }
            Action::CanvasResized(size) => self.canvas_size = size,
            Action::SetField { target, path, value } => {
                let renamed = (path == "id").then(|| value.as_str().map(str::to_owned)).flatten();
                if self.edit(|design| edit::set_field(design, &target, &path, value))
                    && let Some(new_id) = renamed
                {
                    self.selection.remove(&target);
                    self.selection.insert(new_id);
                }
            }
            Action::SetDesignField { path, value } => {
                self.edit(|design| edit::set_design_field(design, &path, value));
            }
            Action::Undo => {
                let current = self.design.clone();
                if let Ok(previous) = self.history.undo(current) {
                    self.design = previous;
                    self.forget_missing_selection();
                    self.changed();
                }
            }
            Action::Redo => {
                let current = self.design.clone();
                if let Ok(next) = self.history.redo(current) {
                    self.design = next;
                    self.forget_missing_selection();
                    self.changed();
                }
            }
            Action::Zoom { factor, screen } => self.viewport = self.viewport.zoomed(factor, screen),
            Action::Pan(dx, dy) => {
                self.viewport.x += dx;
                self.viewport.y += dy;
            }
            Action::Fit { size } => {
                let layout = effective_layout(&self.design);
                let extent = extent(layout.values());
                self.viewport = Viewport::fitting(extent, size);
            }
            Action::StartConnect => {
                let from = self.selection.iter().next().filter(|_| self.selection.len() == 1).cloned();
                match from.filter(|id| self.design.element(id).is_some()) {
                    Some(from) => {
                        let labels = moat_model::design::Labels::of(&self.design);
                        let targets = (edit::link_targets(&self.design, &from).into_iter())
                            .map(|id| (id.0.clone(), labels.get(id.as_str()).to_owned()))
                            .collect();
                        self.connect_picker = Some(ConnectPicker { from_name: self.name_of(&from), from, targets });
                    }
                    None => self.hint = Some(crate::i18n::tr(crate::i18n::Text::ConnectSelectFirst).to_owned()),
                }
            }
            Action::ConnectTo(to) => {
                if let Some(picker) = self.connect_picker.take() {
                    self.link_or_associate(picker.from, to);
                }
            }
            Action::ToggleShortcuts => self.shortcuts_open = !self.shortcuts_open,
            Action::PlaceDropped(choice) => {
                if let Some(offer) = self.drop_offer.take() {
                    self.place_dropped(offer, choice);
                }
            }
            Action::ChooseLink(kind) => {
                if let Some(choice) = self.link_choice.take() {
                    self.connect(kind, &choice.from, &choice.to);
                }
            }
            Action::Focus { id, size } => {
                if let Some(rect) = effective_layout(&self.design).get(id.as_str()) {
                    let (cx, cy) = rect.center();
                    let zoom = self.viewport.zoom;
                    self.viewport = Viewport { x: size.0 / 2.0 - cx * zoom, y: size.1 / 2.0 - cy * zoom, zoom };
                }
                self.selection = moat_model::sorting::set_of([id]);
            }
            Action::Suppress { rule, target, reason } => {
                self.edit(|design| edit::suppress(design, &rule, &target, &reason));
            }
            Action::Unsuppress { rule, target } => {
                self.edit(|design| {
                    edit::unsuppress(design, &rule, &target);
                    Ok(())
                });
            }
            Action::SetPrice { element, monthly } => {
                self.edit(|design| edit::set_price(design, &element, monthly));
            }
            Action::SpaceHeld(held) => self.space_held = held,
            Action::Saved => {
                self.save_state = SaveState::Saved;
                self.saves += 1;
            }
            Action::Notify(message) => self.hint = Some(message),
            Action::AddInSelection(kind) => {
                let layout = effective_layout(&self.design);
                let parent = self
                    .selection
                    .iter()
                    .next()
                    .filter(|_| self.selection.len() == 1)
                    .and_then(|id| self.design.element(id).map(|e| e.id.clone()));
                // In the part of the container on screen, as near the middle of the view as it
                // goes: where the user is looking.
                let within = parent.as_ref().and_then(|p| layout.get(p)).copied();
                let at = self.landing(kind, within, self.visible_area().center());
                let mut added = None;
                if self.edit(|design| {
                    added = Some(edit::add_element(design, kind, parent, at)?);
                    Ok(())
                }) {
                    self.selection = moat_model::sorting::set_of(added.iter().map(|id| id.0.clone()));
                    self.follow(&added.into_iter().collect::<Vec<_>>());
                }
            }
        }
        self
    }

    /// The part of the canvas on screen, in canvas units.
    fn visible_area(&self) -> Rect {
        let (x, y) = self.viewport.to_canvas((0.0, 0.0));
        let (right, bottom) = self.viewport.to_canvas(self.canvas_size);
        Rect { x, y, w: right - x, h: bottom - y }
    }

    /// Where a new element of `kind` goes near `wanted`: whole inside the part of `within`
    /// (its container, if any) that is on screen, when it fits there.
    fn landing(&self, kind: ElementKind, within: Option<Rect>, wanted: (f64, f64)) -> (f64, f64) {
        let view = self.visible_area();
        let area = match within {
            Some(container) => container.intersection(&view).unwrap_or(container),
            None => view,
        };
        let (w, h) = edit::initial_size(kind);
        let header = if within.is_some() { moat_model::layout::HEADER } else { 0.0 };
        let clamp = |v: f64, start: f64, length: f64, size: f64, top: f64| {
            let (low, high) = (start + top + size / 2.0 + 8.0, start + length - size / 2.0 - 8.0);
            if low > high { start + length / 2.0 } else { v.clamp(low, high) }
        };
        (clamp(wanted.0, area.x, area.w, w, 0.0), clamp(wanted.1, area.y, area.h, h, header))
    }

    /// Pans, as little as it takes, so that the boxes of `ids` are on screen (when they fit).
    fn follow(&mut self, ids: &[ElementId]) {
        let layout = effective_layout(&self.design);
        let boxes: Vec<&Rect> = ids.iter().filter_map(|id| layout.get(id)).collect();
        if boxes.is_empty() {
            return;
        }
        let wanted = extent(boxes.into_iter());
        let view = self.visible_area();
        let margin = 24.0 / self.viewport.zoom;
        let shift = |start: f64, length: f64, view_start: f64, view_length: f64| {
            // Too large to show whole: its start in view, as a design is read.
            if length + 2.0 * margin > view_length || start - margin < view_start {
                view_start - (start - margin)
            } else if start + length + margin > view_start + view_length {
                (view_start + view_length) - (start + length + margin)
            } else {
                0.0
            }
        };
        let (dx, dy) = (shift(wanted.x, wanted.w, view.x, view.w), shift(wanted.y, wanted.h, view.y, view.h));
        self.viewport.x += dx * self.viewport.zoom;
        self.viewport.y += dy * self.viewport.zoom;
    }

    /// The name an element goes by (its id if it has none, or if there is no such element).
    pub fn name_of(&self, id: &str) -> String {
        self.design.element(id).map_or_else(|| id.to_owned(), |e| e.display_name().to_owned())
    }

    /// Why no link joins `from` to `to`, and what would work: the ways `from` is linked, or
    /// what it protects when it is an NSG, route table or ASG.
    fn no_link_hint(&self, from: &str, to: &str) -> String {
        use crate::i18n::{Text, current, kind_name, link_name, trf};
        let lang = current();
        let (from_name, to_name) = (self.name_of(from), self.name_of(to));
        let Some(kind) = self.design.element(from).map(moat_model::Element::kind) else { return String::new() };
        let kinds = |kinds: &[ElementKind]| {
            kinds.iter().map(|k| kind_name(*k, lang)).collect::<Vec<_>>().join(Text::ListSeparator.get(lang))
        };
        let ends = [("from", &from_name as &dyn std::fmt::Display), ("to", &to_name), ("kind", &kind_name(kind, lang))];
        let protected = edit::protected_kinds(kind);
        let ways = edit::link_ways(kind);
        if !protected.is_empty() {
            let targets = kinds(protected);
            trf(Text::NoLinkProtects, &[ends[0], ends[1], ends[2], ("targets", &targets)])
        } else if ways.is_empty() {
            trf(Text::NoLinkAtAll, &ends)
        } else {
            let ways = (ways.iter())
                .map(|(link, others)| {
                    Text::LinkWay.fill(lang, &[("link", &link_name(*link, lang)), ("kinds", &kinds(others))])
                })
                .collect::<Vec<_>>()
                .join(Text::WaySeparator.get(lang));
            trf(Text::NoLinkKind, &[ends[0], ends[1], ends[2], ("ways", &ways)])
        }
    }

    /// The selected elements (not links), in id order.
    pub fn selected_elements(&self) -> Vec<ElementId> {
        self.selection.iter().filter(|id| self.design.element(id).is_some()).map(|id| ElementId(id.clone())).collect()
    }

    /// Runs an edit on a copy of the design; on success it becomes the design and one undo
    /// step, on failure the design is untouched and the reason shown. Returns success.
    fn edit(&mut self, change: impl FnOnce(&mut Design) -> Result<(), String>) -> bool {
        let mut design = (*self.design).clone();
        match change(&mut design) {
            Ok(()) => {
                // Equality skips the elements the edit left shared with the design before it.
                if design != *self.design {
                    self.history.record(self.design.clone());
                    self.design = Rc::new(design);
                    self.changed();
                }
                self.hint = None;
                true
            }
            Err(hint) => {
                self.hint = Some(hint);
                false
            }
        }
    }

    /// Pastes a clipboard next to where it was copied and selects what was pasted.
    /// Returns whether anything was pasted.
    fn paste_and_select(&mut self, clipboard: &Clipboard) -> bool {
        if clipboard.is_empty() {
            return false;
        }
        let mut pasted = Vec::new();
        self.edit(|design| {
            pasted = edit::paste(design, clipboard, (24.0, 24.0));
            Ok(())
        });
        self.selection = moat_model::sorting::set_of(pasted.into_iter().map(|id| id.0));
        true
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.save_state = SaveState::Pending;
    }

    fn forget_missing_selection(&mut self) {
        let design = self.design.clone();
        self.selection.retain(|id| design.element(id).is_some() || design.link(id).is_some());
    }

    fn pointer_down(&mut self, target: Target, canvas: (f64, f64), screen: (f64, f64), shift: bool, pan: bool) {
        self.hint = None;
        self.link_choice = None;
        self.drop_offer = None;
        if pan || self.space_held {
            self.gesture = Some(Gesture::Pan { start: screen, from: self.viewport });
            return;
        }
        match target {
            Target::Canvas => {
                if !shift {
                    self.selection.clear();
                }
                self.gesture = Some(Gesture::Select { start: canvas, current: canvas, add: shift });
            }
            Target::Element(id) => {
                if shift {
                    if !self.selection.remove(&id) {
                        self.selection.insert(id);
                    }
                    return;
                }
                if !self.selection.contains(&id) {
                    self.selection = moat_model::sorting::set_of([id]);
                }
                let ids = self.selected_elements();
                self.gesture = Some(Gesture::Move { ids, start: canvas, offset: (0.0, 0.0) });
            }
            Target::Link(id) => {
                if shift {
                    if !self.selection.remove(&id) {
                        self.selection.insert(id);
                    }
                } else {
                    self.selection = moat_model::sorting::set_of([id]);
                }
            }
            Target::ResizeHandle(id) => {
                let mut design = (*self.design).clone();
                edit::pin_layout(&mut design);
                let rect = design.layout.as_ref().and_then(|l| l.get(id.as_str())).copied().unwrap_or_default();
                self.gesture =
                    Some(Gesture::Resize { id: ElementId(id), start: canvas, rect, before: self.design.clone() });
            }
            Target::ConnectHandle(id) => self.gesture = Some(Gesture::Connect { from: id, current: canvas }),
            Target::Palette(kind) => {
                self.gesture = Some(Gesture::Palette { kind, current: canvas, over_canvas: false })
            }
        }
    }

    fn pointer_move(&mut self, canvas: (f64, f64), screen: (f64, f64), over_canvas: bool) {
        let Some(gesture) = self.gesture.take() else { return };
        self.gesture = Some(match gesture {
            Gesture::Move { ids, start, offset } => {
                let (dx, dy) = (canvas.0 - start.0, canvas.1 - start.1);
                // A press that wanders a pixel or two is a click, not a move.
                let moved = offset != (0.0, 0.0) || dx.abs() + dy.abs() > 2.0;
                Gesture::Move { ids, start, offset: if moved { (dx, dy) } else { offset } }
            }
            Gesture::Select { start, add, .. } => Gesture::Select { start, current: canvas, add },
            Gesture::Pan { start, from } => {
                self.viewport = Viewport { x: from.x + screen.0 - start.0, y: from.y + screen.1 - start.1, ..from };
                Gesture::Pan { start, from }
            }
            Gesture::Resize { id, start, rect, before } => {
                let mut design = (*before).clone();
                let w = rect.w + canvas.0 - start.0;
                let h = rect.h + canvas.1 - start.1;
                edit::resize(&mut design, &id, Rect { w, h, ..rect });
                self.design = Rc::new(design);
                Gesture::Resize { id, start, rect, before }
            }
            Gesture::Connect { from, .. } => Gesture::Connect { from, current: canvas },
            Gesture::Palette { kind, .. } => Gesture::Palette { kind, current: canvas, over_canvas },
        });
    }

    fn pointer_up(&mut self, canvas: (f64, f64), over: Option<String>) {
        let Some(gesture) = self.gesture.take() else { return };
        match gesture {
            Gesture::Move { ids, offset: (dx, dy), .. } if (dx, dy) != (0.0, 0.0) => {
                // An NSG, route table or ASG dropped on what it can protect is associated
                // with it, and stays where it stood.
                if let Some((protector, target)) = self.association_drop(&ids, (dx, dy)) {
                    self.edit(|design| edit::associate(design, protector.as_str(), target.as_str()));
                    return;
                }
                let mut hints = Vec::new();
                self.edit(|design| {
                    hints = edit::move_and_settle(design, &ids, dx, dy);
                    Ok(())
                });
                self.hint = hints.into_iter().next();
            }
            Gesture::Move { .. } | Gesture::Pan { .. } => {}
            Gesture::Select { start, current, add } => {
                let band = normalized(start, current);
                if band.w > 3.0 || band.h > 3.0 {
                    let layout = effective_layout(&self.design);
                    let inside = self
                        .design
                        .elements
                        .iter()
                        .filter(|e| layout.get(&e.id).is_some_and(|r| contains(&band, r)))
                        .map(|e| e.id.0.clone());
                    if !add {
                        self.selection.clear();
                    }
                    self.selection.extend(inside);
                }
            }
            Gesture::Resize { before, .. } => {
                if *before != *self.design {
                    self.history.record(before);
                    self.changed();
                }
            }
            Gesture::Connect { from, .. } => match over {
                Some(to) if to != from => self.link_or_associate(from, to),
                _ => {}
            },
            Gesture::Palette { kind, over_canvas, .. } => {
                if over_canvas {
                    self.drop_new(kind, canvas);
                }
            }
        }
    }

    /// Joins `from` to `to` as drawing a link between them does: the one kind of link that
    /// fits, a choice when several do, an association for an NSG, route table or ASG drawn
    /// to what it protects, else a hint of what would work.
    fn link_or_associate(&mut self, from: String, to: String) {
        let kinds = edit::link_kinds_between(&self.design, &from, &to);
        let kind_of = |id: &str| self.design.element(id).map(moat_model::Element::kind);
        let protects = kind_of(&from).zip(kind_of(&to)).and_then(|(p, t)| edit::association_field(p, t));
        match kinds.as_slice() {
            // An NSG, route table or ASG drawn to what it protects is associated.
            [] if protects.is_some() => {
                self.edit(|design| edit::associate(design, &from, &to));
            }
            [] => self.hint = Some(self.no_link_hint(&from, &to)),
            [kind] => self.connect(*kind, &from, &to),
            _ => {
                let (from_name, to_name) = (self.name_of(&from), self.name_of(&to));
                self.link_choice = Some(LinkChoice { from, to, from_name, to_name, kinds })
            }
        }
    }

    /// The protector moved by a drag of `ids` by `offset`, and what it was dropped on, when
    /// the two associate.
    fn association_drop(&self, ids: &[ElementId], offset: (f64, f64)) -> Option<(ElementId, ElementId)> {
        let [id] = ids else { return None };
        let kind = self.design.element(id.as_str())?.kind();
        let layout = effective_layout(&self.design);
        let (x, y) = layout.get(id)?.center();
        let target = edit::association_target(&self.design, &layout, (x + offset.0, y + offset.1), kind)?;
        Some((id.clone(), target))
    }

    fn drop_new(&mut self, kind: ElementKind, at: (f64, f64)) {
        let layout = effective_layout(&self.design);
        let parent = edit::container_at(&self.design, &layout, at, &Default::default());
        // An NSG, route table or ASG dropped on what it can protect is added and associated.
        let target = edit::association_target(&self.design, &layout, at, kind);
        // Dropped where it cannot live: offer to make what it needs, or the nearest place.
        if target.is_none()
            && edit::placement_error(&self.design, kind, parent.as_ref().map(ElementId::as_str)).is_some()
        {
            let create = edit::containers_needed(&self.design, kind, parent.as_ref().map(ElementId::as_str));
            let nearest = edit::nearest_container_for(&self.design, &layout, kind, at)
                .map(|(id, point)| (id.clone(), self.name_of(id.as_str()), point));
            if create.is_some() || nearest.is_some() {
                self.drop_offer = Some(DropOffer { kind, at, create, nearest });
                return;
            }
        }
        // Whole on screen: a region dropped near the top is not left under the toolbar. (Its
        // container grows to hold it, as before, but now within view.)
        let at = self.landing(kind, None, at);
        let mut added = None;
        if self.edit(|design| {
            added = Some(match &target {
                Some(target) => edit::add_associated(design, kind, target.as_str())?,
                None => edit::add_element(design, kind, parent, at)?,
            });
            Ok(())
        }) {
            self.selection = moat_model::sorting::set_of(added.iter().map(|id| id.0.clone()));
            self.follow(&added.into_iter().collect::<Vec<_>>());
        }
    }

    fn place_dropped(&mut self, offer: DropOffer, choice: DropChoice) {
        let DropOffer { kind, at, create, nearest } = offer;
        let mut added = None;
        let placed = self.edit(|design| {
            added = Some(match (choice, create, nearest) {
                (DropChoice::Create, Some((start, chain)), _) => {
                    edit::add_with_containers(design, kind, (start, &chain), at)?
                }
                (DropChoice::Nearest, _, Some((container, _, point))) => {
                    edit::add_element(design, kind, Some(container), point)?
                }
                _ => return Ok(()),
            });
            Ok(())
        });
        if placed {
            self.selection = moat_model::sorting::set_of(added.into_iter().map(|id| id.0));
        }
    }

    fn connect(&mut self, kind: LinkKind, from: &str, to: &str) {
        let mut added = None;
        if self.edit(|design| {
            added = Some(edit::connect(design, kind, from, to)?);
            Ok(())
        }) {
            self.selection = moat_model::sorting::set_of(added.into_iter().map(|id| id.0));
        }
    }
}

impl Reducible for Editor {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

/// The box around all boxes.
pub fn extent<'a>(rects: impl Iterator<Item = &'a Rect>) -> Rect {
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    for r in rects {
        let (x0, y0, x1, y1) = bounds.unwrap_or((r.x, r.y, r.x + r.w, r.y + r.h));
        bounds = Some((x0.min(r.x), y0.min(r.y), x1.max(r.x + r.w), y1.max(r.y + r.h)));
    }
    bounds.map_or(Rect::default(), |(x0, y0, x1, y1)| Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 })
}

pub fn normalized(a: (f64, f64), b: (f64, f64)) -> Rect {
    Rect { x: a.0.min(b.0), y: a.1.min(b.1), w: (a.0 - b.0).abs(), h: (a.1 - b.1).abs() }
}

fn contains(outer: &Rect, inner: &Rect) -> bool {
    outer.x <= inner.x
        && outer.y <= inner.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

/// Reads a design file; the error names the file.
pub fn open_file(name: &str, bytes: &[u8]) -> Result<Design, String> {
    format::load_bytes(bytes).map(|loaded| loaded.design).map_err(|e| format!("{name}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use moat_model::edit::field_value;

    fn example() -> Editor {
        Editor::new(format::load(crate::EXAMPLE_JSON).unwrap().design)
    }

    fn center_of(editor: &Editor, id: &str) -> (f64, f64) {
        effective_layout(&editor.design)[id].center()
    }

    fn down(target: Target, at: (f64, f64)) -> Action {
        Action::PointerDown { target, canvas: at, screen: at, shift: false, pan: false }
    }

    fn drag(editor: Editor, target: Target, from: (f64, f64), to: (f64, f64)) -> Editor {
        let mut editor = editor.apply(down(target, from));
        for step in 1..=4 {
            let t = f64::from(step) / 4.0;
            let at = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            editor = editor.apply(Action::PointerMove { canvas: at, screen: at, over_canvas: true });
        }
        editor.apply(Action::PointerUp { canvas: to, over: None })
    }

    #[test]
    fn an_nsg_dragged_onto_a_subnet_is_associated_and_stays_put_in_one_undo_step() {
        let editor = example();
        let original = editor.design.clone();
        let from = center_of(&editor, "nsg-biz");
        let onto = center_of(&editor, "data-snet");
        let editor = drag(editor, Target::Element("nsg-biz".into()), from, (onto.0 + 60.0, onto.1 - 20.0));
        assert_eq!(field_value(&editor.design, "data-snet", "nsg"), Value::from("nsg-biz"), "{:?}", editor.hint);
        assert_eq!(editor.design.layout, original.layout, "the NSG stays where it stood");
        assert_eq!(editor.hint, None);
        let editor = editor.apply(Action::Undo);
        assert_eq!(editor.design, original);
    }

    #[test]
    fn an_nsg_dropped_from_the_palette_on_a_subnet_is_added_and_associated() {
        let editor = example();
        let original = editor.design.clone();
        let onto = center_of(&editor, "data-snet");
        let mut editor = editor.apply(down(Target::Palette(ElementKind::Nsg), (0.0, 0.0)));
        editor = editor.apply(Action::PointerMove { canvas: onto, screen: onto, over_canvas: true });
        let editor = editor.apply(Action::PointerUp { canvas: onto, over: None });
        let added: Vec<&String> = editor.selection.iter().collect();
        assert_eq!(added.len(), 1, "the new NSG is selected: {:?}", editor.hint);
        assert_eq!(field_value(&editor.design, "data-snet", "nsg"), Value::from(added[0].as_str()));
        let editor = editor.apply(Action::Undo);
        assert_eq!(editor.design, original);
    }

    /// Draws a link from `from`'s connection handle and lets go over `to`.
    fn connect(editor: Editor, from: &str, to: &str) -> Editor {
        let (start, end) = (center_of(&editor, from), center_of(&editor, to));
        let editor = editor.apply(down(Target::ConnectHandle(from.into()), start));
        let editor = editor.apply(Action::PointerMove { canvas: end, screen: end, over_canvas: true });
        editor.apply(Action::PointerUp { canvas: end, over: Some(to.into()) })
    }

    #[test]
    fn an_nsg_drawn_to_a_subnet_is_associated_in_one_undo_step() {
        let editor = example();
        let original = editor.design.clone();
        let editor = connect(editor, "nsg-biz", "data-snet");
        assert_eq!(field_value(&editor.design, "data-snet", "nsg"), Value::from("nsg-biz"), "{:?}", editor.hint);
        assert_eq!(editor.design.links, original.links, "no link is made");
        assert_eq!(editor.apply(Action::Undo).design, original);
    }

    #[test]
    fn a_refused_link_names_both_ends_and_says_what_would_work() {
        crate::i18n::set_current(crate::i18n::Lang::En);
        let editor = connect(example(), "nsg-biz", "kv");
        let hint = editor.hint.clone().unwrap_or_default();
        assert!(
            hint.starts_with(&format!(
                "No link joins \"{}\" to \"{}\"",
                editor.name_of("nsg-biz"),
                editor.name_of("kv")
            )),
            "{hint}"
        );
        assert!(hint.contains("protects Subnet, Virtual machines: draw it on one"), "{hint}");
        let editor = connect(example(), "web", "kv");
        let hint = editor.hint.clone().unwrap_or_default();
        assert!(hint.contains("Virtual machines is linked: Flow (intended traffic) with"), "{hint}");
        assert!(hint.contains("Replication with Virtual machines"), "{hint}");
        assert_eq!(editor.design, example().design, "nothing changed");
    }

    /// Carries a new element of `kind` from the palette and lets go at `at`.
    fn drop_from_palette(editor: Editor, kind: ElementKind, at: (f64, f64)) -> Editor {
        let editor = editor.apply(down(Target::Palette(kind), (0.0, 0.0)));
        let editor = editor.apply(Action::PointerMove { canvas: at, screen: at, over_canvas: true });
        editor.apply(Action::PointerUp { canvas: at, over: None })
    }

    #[test]
    fn a_vm_dropped_on_the_blank_canvas_is_offered_the_containers_it_needs() {
        let editor = example();
        let original = editor.design.clone();
        let editor = drop_from_palette(editor, ElementKind::Vm, (3000.0, 3000.0));
        let offer = editor.drop_offer.clone().expect("an offer, not a refusal");
        assert_eq!(editor.design, original, "nothing is added before the user chooses");
        assert_eq!(offer.create.as_ref().map(|(_, chain)| chain.len()), Some(3), "a region, a VNet and a subnet");
        assert!(offer.nearest.is_some(), "or the nearest subnet");
        let editor = editor.apply(Action::PlaceDropped(DropChoice::Create));
        assert_eq!(editor.drop_offer, None);
        assert_eq!(editor.design.elements.len(), original.elements.len() + 4, "{:?}", editor.hint);
        let vm = editor.selection.iter().next().cloned().expect("the new VM is selected");
        assert_eq!(editor.design.element(&vm).map(|e| e.kind()), Some(ElementKind::Vm));
        assert_eq!(editor.apply(Action::Undo).design, original, "one undo step");
    }

    #[test]
    fn an_nsg_dropped_on_a_vnet_can_go_into_its_region() {
        let editor = example();
        let at = center_of(&editor, "app-vnet");
        let at = (at.0, at.1 + 150.0);
        let editor = drop_from_palette(editor, ElementKind::Nsg, at);
        let offer = editor.drop_offer.clone().expect("an offer");
        assert_eq!(offer.create, None);
        assert_eq!(offer.nearest.as_ref().map(|(id, _, _)| id.as_str()), Some("weu"));
        let editor = editor.apply(Action::PlaceDropped(DropChoice::Nearest));
        let nsg = editor.selection.iter().next().cloned().expect("the new NSG is selected");
        assert_eq!(editor.design.element(&nsg).and_then(|e| e.parent.clone()).map(|p| p.0), Some("weu".to_owned()));
    }

    /// Whether `inner` lies whole in `outer`.
    fn within(inner: &Rect, outer: &Rect) -> bool {
        contains(outer, inner)
    }

    #[test]
    fn an_element_added_from_the_keyboard_lands_on_screen_in_its_container() {
        let mut editor = example();
        editor.canvas_size = (800.0, 500.0);
        // The view shows only the left part of the data subnet.
        let subnet = effective_layout(&editor.design)["data-snet"];
        editor.viewport = Viewport { x: 700.0 - subnet.x, y: 250.0 - subnet.y, zoom: 1.0 };
        let editor = editor.apply(Action::Select(vec!["data-snet".into()]));
        let editor = editor.apply(Action::AddInSelection(ElementKind::Vm));
        let vm = editor.selection.iter().next().cloned().expect("the VM is added and selected");
        let rect = effective_layout(&editor.design)[vm.as_str()];
        assert!(within(&rect, &editor.visible_area()), "{rect:?} on screen in {:?}", editor.visible_area());
        assert!(within(&rect, &effective_layout(&editor.design)["data-snet"]), "{rect:?} in its subnet");
    }

    #[test]
    fn the_view_follows_what_the_keyboard_moves() {
        let mut editor = example();
        editor.canvas_size = (800.0, 500.0);
        let web = effective_layout(&editor.design)["web"];
        // The VMs at the right edge of the view; ten nudges take them past it.
        editor.viewport = Viewport { x: 780.0 - (web.x + web.w), y: 200.0 - web.y, zoom: 1.0 };
        let mut editor = editor.apply(Action::Select(vec!["web".into()]));
        for _ in 0..10 {
            editor = editor.apply(Action::Nudge(10.0, 0.0));
        }
        let rect = effective_layout(&editor.design)["web"];
        assert_eq!(rect.x, web.x + 100.0);
        assert!(within(&rect, &editor.visible_area()), "{rect:?} stays on screen: {:?}", editor.visible_area());
    }

    #[test]
    fn the_connect_command_lists_what_fits_and_links_the_one_chosen() {
        let editor = example().apply(Action::Select(vec!["nsg-biz".into()])).apply(Action::StartConnect);
        let picker = editor.connect_picker.clone().expect("the list opens");
        let targets: Vec<&str> = picker.targets.iter().map(|(id, _)| id.as_str()).collect();
        assert!(targets.contains(&"data-snet") && targets.contains(&"web"), "subnets and VMs: {targets:?}");
        assert!(!targets.contains(&"kv") && !targets.contains(&"nsg-biz"), "{targets:?}");
        let editor = editor.apply(Action::ConnectTo("data-snet".into()));
        assert_eq!(editor.connect_picker, None);
        assert_eq!(field_value(&editor.design, "data-snet", "nsg"), Value::from("nsg-biz"));
        // Nothing selected: a hint says to select first.
        let editor = example().apply(Action::StartConnect);
        assert_eq!(editor.connect_picker, None);
        assert!(editor.hint.is_some());
    }

    #[test]
    fn a_whole_drag_is_one_undo_step() {
        let editor = example();
        let original = editor.design.clone();
        let from = center_of(&editor, "web");
        let editor = drag(editor, Target::Element("web".into()), from, (from.0 + 40.0, from.1 + 8.0));
        assert_ne!(editor.design, original);
        let editor = editor.apply(Action::Undo);
        assert_eq!(editor.design, original);
        assert!(!editor.history.can_undo());
    }

    #[test]
    fn a_drag_moves_the_design_once_on_the_drop_and_escape_leaves_it() {
        let editor = example();
        let original = editor.design.clone();
        let from = center_of(&editor, "web");
        let mut editor = editor.apply(down(Target::Element("web".into()), from));
        for step in 1..=3 {
            let at = (from.0 + 10.0 * f64::from(step), from.1);
            editor = editor.apply(Action::PointerMove { canvas: at, screen: at, over_canvas: true });
            assert!(Rc::ptr_eq(&editor.design, &original), "the design waits for the drop");
        }
        assert!(matches!(editor.gesture, Some(Gesture::Move { offset: (30.0, 0.0), .. })));
        let cancelled = editor.clone().apply(Action::Cancel);
        assert!(Rc::ptr_eq(&cancelled.design, &original));
        assert!(cancelled.gesture.is_none());

        let dropped = editor.apply(Action::PointerUp { canvas: (from.0 + 30.0, from.1), over: None });
        let before = effective_layout(&original)["web"];
        let after = effective_layout(&dropped.design)["web"];
        assert_eq!((after.x - before.x, after.y - before.y), (30.0, 0.0));
    }

    #[test]
    fn a_press_without_moving_changes_nothing() {
        let editor = example();
        let original = editor.design.clone();
        let from = center_of(&editor, "web");
        let editor = drag(editor, Target::Element("web".into()), from, (from.0 + 1.0, from.1));
        assert!(Rc::ptr_eq(&editor.design, &original));
        assert!(!editor.history.can_undo());
        assert!(editor.selection.contains("web"));
    }

    #[test]
    fn a_vm_carried_from_the_palette_lands_in_the_subnet_under_the_pointer() {
        let editor = example();
        let at = center_of(&editor, "data-snet");
        let at = (at.0 + 60.0, at.1 + 40.0);
        let editor = editor.apply(down(Target::Palette(ElementKind::Vm), (0.0, 0.0)));
        let editor = editor.apply(Action::PointerMove { canvas: at, screen: at, over_canvas: true });
        let editor = editor.apply(Action::PointerUp { canvas: at, over: None });
        assert_eq!(editor.design.element("vm-1").unwrap().parent, Some("data-snet".into()));
        assert_eq!(editor.selection, BTreeSet::from(["vm-1".to_owned()]));

        // Released outside the canvas, nothing is added.
        let count = editor.design.elements.len();
        let editor = editor.apply(down(Target::Palette(ElementKind::Vm), (0.0, 0.0)));
        let editor = editor.apply(Action::PointerMove { canvas: at, screen: at, over_canvas: false });
        let editor = editor.apply(Action::PointerUp { canvas: at, over: None });
        assert_eq!(editor.design.elements.len(), count);
    }

    #[test]
    fn a_rubber_band_selects_what_it_encloses() {
        let editor = example();
        let layout = effective_layout(&editor.design);
        let subnet = layout["web-snet"];
        let editor = drag(
            editor,
            Target::Canvas,
            (subnet.x - 2.0, subnet.y - 2.0),
            (subnet.x + subnet.w + 2.0, subnet.y + subnet.h + 2.0),
        );
        let expected: BTreeSet<String> = ["web-snet", "web", "web-lb"].into_iter().map(str::to_owned).collect();
        assert_eq!(editor.selection, expected);
    }

    #[test]
    fn delete_copy_paste_and_nudge_act_on_the_selection() {
        let editor = example().apply(Action::Select(vec!["web-snet".into()]));
        let editor = editor.apply(Action::Copy).apply(Action::Paste);
        assert_eq!(editor.selection, BTreeSet::from(["subnet-1".to_owned()]));
        assert!(editor.design.element("vm-1").is_some(), "the subnet's VM is pasted too");
        let before = effective_layout(&editor.design)["subnet-1"];
        let editor = editor.apply(Action::Nudge(10.0, 0.0));
        assert_eq!(effective_layout(&editor.design)["subnet-1"].x, before.x + 10.0);
        let editor = editor.apply(Action::Delete);
        assert!(editor.design.element("subnet-1").is_none() && editor.design.element("vm-1").is_none());
        let editor = editor.apply(Action::Undo);
        assert!(editor.design.element("subnet-1").is_some());
    }

    #[test]
    fn tidy_up_lays_the_design_out_again_in_one_undo_step() {
        let mut moved = example().design.as_ref().clone();
        moat_model::edit::move_elements(&mut moved, &[ElementId::from("web")], 400.0, 300.0);
        let moved_to = moved.layout.as_ref().map(|l| l[&ElementId::from("web")]);
        let editor = example().apply(Action::Replace { design: Box::new(moved), fresh: true });
        let editor = editor.apply(Action::TidyUp);
        let mut unplaced = editor.design.as_ref().clone();
        unplaced.layout = None;
        assert_eq!(editor.design.layout, Some(moat_model::layout::auto_layout(&unplaced)));
        assert_ne!(editor.design.layout.as_ref().map(|l| l[&ElementId::from("web")]), moved_to);
        let editor = editor.apply(Action::Undo);
        assert_eq!(editor.design.layout.as_ref().map(|l| l[&ElementId::from("web")]), moved_to, "one step undoes it");
    }

    #[test]
    fn a_refused_edit_leaves_the_design_and_says_why() {
        let editor = example();
        let original = editor.design.clone();
        let value = Value::from("weu");
        let editor = editor.apply(Action::SetField { target: "web".into(), path: "parent".into(), value });
        assert_eq!(editor.design, original);
        assert_eq!(editor.hint.as_deref(), Some("a vm goes in a subnet"));
        assert!(!editor.history.can_undo());
    }

    #[test]
    fn renaming_in_the_inspector_keeps_the_element_selected() {
        let editor = example().apply(Action::Select(vec!["web".into()]));
        let editor =
            editor.apply(Action::SetField { target: "web".into(), path: "id".into(), value: Value::from("front") });
        assert_eq!(editor.selection, BTreeSet::from(["front".to_owned()]));
        assert_eq!(field_value(&editor.design, "web-lb", "backends"), serde_json::json!(["front"]));
    }

    #[test]
    fn dragging_with_space_held_pans_and_leaves_the_design() {
        let editor = example().apply(Action::SpaceHeld(true));
        let original = editor.design.clone();
        let from = center_of(&editor, "web");
        let editor = drag(editor, Target::Element("web".into()), from, (from.0 + 50.0, from.1));
        assert_eq!(editor.design, original);
        assert_eq!(editor.viewport.x, Viewport::default().x + 50.0);
    }

    #[test]
    fn linking_two_vms_offers_the_kinds_that_fit() {
        let editor = example().apply(down(Target::ConnectHandle("biz".into()), (0.0, 0.0)));
        let editor = editor.apply(Action::PointerUp { canvas: (0.0, 0.0), over: Some("db".into()) });
        let choice = editor.link_choice.clone().unwrap();
        assert_eq!(choice.kinds, [LinkKind::Flow, LinkKind::Replication]);
        let editor = editor.apply(Action::ChooseLink(LinkKind::Replication));
        let link = editor.design.link("replication-1").unwrap();
        assert_eq!((link.from.as_str(), link.to.as_str()), ("biz", "db"));
    }

    #[test]
    fn findings_are_suppressed_with_a_reason_and_unsuppressed() {
        let editor = example();
        let refused =
            editor.clone().apply(Action::Suppress { rule: "HA-01".into(), target: "web".into(), reason: " ".into() });
        assert_eq!(refused.hint.as_deref(), Some("a suppression needs a written reason"));
        let editor =
            editor.apply(Action::Suppress { rule: "HA-01".into(), target: "web".into(), reason: "pilot".into() });
        assert_eq!(editor.design.suppressions.len(), 1);
        let editor = editor.apply(Action::Unsuppress { rule: "HA-01".into(), target: "web".into() });
        assert!(editor.design.suppressions.is_empty());
        assert!(editor.history.can_undo());
    }

    #[test]
    fn focusing_selects_and_centres_an_element() {
        let editor = example().apply(Action::Focus { id: "db".into(), size: (800.0, 600.0) });
        assert_eq!(editor.selection, BTreeSet::from(["db".to_owned()]));
        let center = center_of(&editor, "db");
        let on_screen =
            (center.0 * editor.viewport.zoom + editor.viewport.x, center.1 * editor.viewport.zoom + editor.viewport.y);
        assert_eq!(on_screen, (400.0, 300.0));
    }

    #[test]
    fn the_keyboard_adds_an_element_into_the_selected_container() {
        let editor = example().apply(Action::Select(vec!["data-snet".into()]));
        let editor = editor.apply(Action::AddInSelection(ElementKind::Vm));
        assert_eq!(editor.design.element("vm-1").unwrap().parent, Some("data-snet".into()));
        let refused = editor.apply(Action::Select(vec!["weu".into()])).apply(Action::AddInSelection(ElementKind::Vm));
        assert_eq!(refused.hint.as_deref(), Some("a vm goes in a subnet"));
    }

    #[test]
    fn fit_centres_a_design_that_fits_and_shows_a_huge_one_from_its_top_left() {
        let screen = (800.0, 600.0);
        let small = Rect { x: 100.0, y: 50.0, w: 400.0, h: 200.0 };
        let fitted = Viewport::fitting(small, screen);
        let centre = (small.x + small.w / 2.0, small.y + small.h / 2.0);
        let on_screen = (centre.0 * fitted.zoom + fitted.x, centre.1 * fitted.zoom + fitted.y);
        assert!((on_screen.0 - 400.0).abs() < 1e-9 && (on_screen.1 - 300.0).abs() < 1e-9, "{on_screen:?}");

        let huge = Rect { x: 0.0, y: 0.0, w: 45_000.0, h: 13_000.0 };
        let fitted = Viewport::fitting(huge, screen);
        assert_eq!(fitted.zoom, MIN_ZOOM);
        assert_eq!((fitted.x, fitted.y), (32.0, 32.0), "the top-left corner, after the margin");
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let viewport = Viewport { x: 10.0, y: 20.0, zoom: 1.0 };
        let screen = (300.0, 200.0);
        let before = viewport.to_canvas(screen);
        let after = viewport.zoomed(1.5, screen).to_canvas(screen);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    }
}
