//! The estimate of a design (SPEC §6, `moat estimate`): cost, isolation and availability.

use serde::Serialize;

use crate::availability::{Availability, availability};
use crate::cost::{CostEstimate, PriceBook, estimate_cost};
use crate::design::Design;
use crate::isolation::{Isolation, isolation};

/// Everything Moat estimates about a design (SPEC §3 `estimate` JSON).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    #[serde(flatten)]
    pub cost: CostEstimate,
    pub isolation: Isolation,
    pub availability: Availability,
}

/// Estimates a design with a price book.
pub fn estimate(design: &Design, book: &PriceBook) -> Estimate {
    Estimate {
        cost: estimate_cost(design, book),
        isolation: isolation(design, book),
        availability: availability(design),
    }
}
