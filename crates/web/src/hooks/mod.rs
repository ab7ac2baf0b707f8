//! The app's hooks: what lives beside the editor's state and is not drawn — the analyses,
//! the autosave, the keyboard, the site files read after the first render, a share link and
//! another tab's autosave.

mod analyses;
mod autosave;
mod files;
mod keyboard;
mod other_tab;
mod share_link;
mod site_files;
mod window_width;

pub use analyses::{use_analyses, use_inspected_design, use_inspected_selection};
pub use autosave::use_autosave;
pub use files::{DesignFiles, use_design_files};
pub use keyboard::{CANVAS, use_keyboard};
pub use other_tab::use_other_tab;
pub use share_link::use_share_link;
pub use site_files::{PriceBookState, read_english_rules, use_price_book, use_rule_texts};
pub use window_width::{NARROW_WINDOW, use_window_width};
