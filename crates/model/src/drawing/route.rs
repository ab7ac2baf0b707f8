//! Where links run: orthogonally, around every box a link does not join, out of the side
//! of each end that serves it best, with parallel links spread apart.
//!
//! Each link is routed on its own, on a sparse grid whose lines run a channel's width
//! outside the boxes in its way (A*: shortest, with a price on each bend). The boxes in its
//! way are the *unrelated* ones: neither an end nor a container of one (a link leaves its
//! subnet and VNet, but goes around another subnet). Only the boxes near the two ends are
//! considered first; the search widens when it finds no way. Then [`Routes`] spreads
//! segments that share a channel, so parallel links do not hide each other.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::design::{Design, Layout, Rect};
use crate::ids::ElementId;
use crate::link::Link;

pub type Point = (f64, f64);

/// How far a link keeps from the boxes it goes around: it runs a channel's width away (half
/// the gap the layout leaves between boxes) and never comes closer than `CLEAR`.
pub const CHANNEL: f64 = 12.0;
const CLEAR: f64 = 8.0;
/// What a bend costs, in units of length: a longer way with fewer bends is easier to follow.
const BEND: f64 = 40.0;
/// How far apart segments sharing a channel are drawn, and how far they may move.
const SPREAD: f64 = 6.0;
const SPREAD_MAX: f64 = 9.0;
/// How far around its ends a link first looks for boxes in its way.
const NEAR: f64 = 120.0;
/// The most boxes a link is routed around: the search grows with their square, so a link
/// across a huge design (a hub peered with a spoke far away among thousands) is drawn
/// `direct` instead, and opening any design stays quick.
const MAX_OBSTACLES: usize = 100;

/// Where one link runs, and what is drawn along it.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// From the border of its `from` box to the border of its `to` box; at least two points,
    /// each segment horizontal or vertical (a straight line only when no way was found).
    pub points: Vec<Point>,
}

impl Route {
    /// Where a caption goes: beside the middle of the longest segment, above a horizontal one
    /// (`middle` anchored) or right of a vertical one (`start` anchored).
    pub fn caption_at(&self) -> (f64, f64, &'static str) {
        let (a, b) = self
            .segments()
            .max_by(|x, y| length(x.0, x.1).partial_cmp(&length(y.0, y.1)).unwrap_or(Ordering::Equal))
            .unwrap_or((self.points[0], self.points[0]));
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        if (a.1 - b.1).abs() < 1e-9 {
            (middle.0, middle.1 - 5.0, "middle")
        } else {
            (middle.0 + 5.0, middle.1 + 4.0, "start")
        }
    }

    /// The arrowhead at the `to` end: a triangle whose tip touches the box.
    pub fn arrowhead(&self) -> [Point; 3] {
        let n = self.points.len();
        let (tip, before) = (self.points[n - 1], self.points[n - 2]);
        let len = length(before, tip).max(1e-9);
        let (dx, dy) = ((tip.0 - before.0) / len, (tip.1 - before.1) / len);
        let (back, side) = (10.0, 4.5);
        let base = (tip.0 - dx * back, tip.1 - dy * back);
        [tip, (base.0 - dy * side, base.1 + dx * side), (base.0 + dy * side, base.1 - dx * side)]
    }

    /// Its segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        self.points.windows(2).map(|w| (w[0], w[1]))
    }

    /// The SVG path data of the line.
    pub fn path_data(&self) -> String {
        let mut data = String::new();
        for (i, (x, y)) in self.points.iter().enumerate() {
            data.push_str(if i == 0 { "M" } else { " L" });
            data.push_str(&format!("{} {}", round(*x), round(*y)));
        }
        data
    }
}

/// The routes of every link of a design, by position in `design.links` (`None` for a link
/// with an end that is not drawn).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Routes {
    /// As found, before parallel segments were spread (what a re-route starts from).
    found: Vec<Option<Vec<Point>>>,
    /// As drawn.
    pub drawn: Vec<Option<Route>>,
}

impl Routes {
    /// Routes every link of `design`, its elements placed by `layout`.
    pub fn new(design: &Design, layout: &Layout) -> Routes {
        let router = Router::new(design, layout);
        let found = design.links.iter().map(|link| router.route(link)).collect();
        Routes::spread(found)
    }

    /// The routes after some elements moved: only the links with an end among `moved`, or
    /// running through where a moved box now is, are routed again.
    pub fn after_move(&self, design: &Design, layout: &Layout, moved: &[&ElementId]) -> Routes {
        if self.found.len() != design.links.len() {
            return Routes::new(design, layout);
        }
        let moved_set: HashSet<&str> = moved.iter().map(|id| id.as_str()).collect();
        let now: Vec<Rect> = moved.iter().filter_map(|id| layout.get(*id).copied()).collect();
        let router = Router::new(design, layout);
        let found = (design.links.iter().zip(&self.found))
            .map(|(link, before)| {
                let touched = moved_set.contains(link.from.as_str()) || moved_set.contains(link.to.as_str());
                let crossed = || {
                    before.as_ref().is_some_and(|points| {
                        points.windows(2).any(|w| now.iter().any(|r| segment_enters(w[0], w[1], r, 0.0)))
                    })
                };
                if touched || crossed() { router.route(link) } else { before.clone() }
            })
            .collect();
        Routes::spread(found)
    }

    fn spread(found: Vec<Option<Vec<Point>>>) -> Routes {
        let mut drawn: Vec<Option<Vec<Point>>> = found.clone();
        spread_parallel(&mut drawn);
        Routes { found, drawn: drawn.into_iter().map(|p| p.map(|points| Route { points })).collect() }
    }
}

/// What routing needs of a design: each element's box, parent and children.
pub struct Router<'a> {
    layout: &'a Layout,
    /// Each element by id.
    elements: HashMap<&'a str, &'a crate::element::Element>,
    parent: HashMap<&'a str, &'a str>,
    /// The children of each element and the top-level elements, with their boxes.
    children: HashMap<&'a str, Vec<(&'a str, Rect)>>,
    roots: Vec<(&'a str, Rect)>,
}

impl<'a> Router<'a> {
    pub fn new(design: &'a Design, layout: &'a Layout) -> Router<'a> {
        let placed = |id: &str| layout.contains_key(id);
        let mut parent = HashMap::new();
        let mut children: HashMap<&str, Vec<(&str, Rect)>> = HashMap::new();
        let mut roots = Vec::new();
        let mut elements = HashMap::new();
        for element in &design.elements {
            let id = element.id.as_str();
            elements.entry(id).or_insert(&**element);
            let Some(rect) = layout.get(id) else { continue };
            match element.parent.as_ref().map(ElementId::as_str).filter(|p| placed(p) && *p != id) {
                Some(p) => {
                    parent.insert(id, p);
                    children.entry(p).or_default().push((id, *rect));
                }
                None => roots.push((id, *rect)),
            }
        }
        Router { layout, elements, parent, children, roots }
    }

    /// The route of one link, or `None` when an end is not drawn.
    pub fn route(&self, link: &Link) -> Option<Vec<Point>> {
        let (from, to) = (*self.layout.get(&link.from)?, *self.layout.get(&link.to)?);
        let (a, b) = (self.containers_of(link.from.as_str()), self.containers_of(link.to.as_str()));
        if a.contains(link.to.as_str()) || b.contains(link.from.as_str()) || link.from == link.to {
            return Some(straight(&from, &to));
        }
        let related: HashSet<&str> = a.union(&b).copied().collect();
        // The boxes in the way: children of the ends' containers (and the top-level boxes)
        // that are neither an end nor a container of one. What lies inside them is avoided
        // with them.
        let inner: Vec<&str> =
            related.iter().copied().filter(|id| *id != link.from.as_str() && *id != link.to.as_str()).collect();
        // All the boxes that may be in the way, cheaply: the few related ones among them are
        // left out only when they are near (a rectangle test first, then a lookup).
        let candidates =
            || (self.roots.iter()).chain(inner.iter().flat_map(|id| self.children.get(id).into_iter().flatten()));
        let marks: Vec<Rect> = inner.iter().flat_map(|id| self.header_marks(id)).collect();
        let near = grow(&from.union(&to), NEAR);
        let (mut nearby, mut count) = (marks.clone(), 0);
        for (id, rect) in candidates() {
            count += 1;
            if overlaps(rect, &near) && nearby.len() <= MAX_OBSTACLES + marks.len() && !related.contains(id) {
                nearby.push(*rect);
            }
        }
        let found = (nearby.len() <= MAX_OBSTACLES + marks.len())
            .then(|| search(&from, &to, &nearby))
            .flatten()
            .or_else(|| {
                if nearby.len() >= count + marks.len() || count > MAX_OBSTACLES {
                    return None;
                }
                let all: Vec<Rect> = candidates()
                    .filter(|(id, _)| !related.contains(id))
                    .map(|(_, r)| *r)
                    .chain(marks.iter().copied())
                    .collect();
                search(&from, &to, &all)
            });
        Some(found.unwrap_or_else(|| direct(&from, &to)))
    }

    /// Where a container's header has text (icon, name, detail, chips): a link crosses a
    /// header it must cross beside its text, never through it.
    fn header_marks(&self, id: &str) -> Vec<Rect> {
        let (Some(element), Some(rect)) = (self.elements.get(id), self.layout.get(id)) else { return Vec::new() };
        if !element.kind().is_container() {
            return Vec::new();
        }
        let name_of = |id: &str| self.elements.get(id).map(|e| e.display_name().to_owned());
        super::header_marks(&super::face(element, rect, crate::rules::i18n::Lang::En, &name_of))
    }

    /// An element with every container it is in (bounded: a malformed design may nest in a circle).
    fn containers_of(&self, id: &'a str) -> HashSet<&'a str> {
        let mut found = HashSet::from([id]);
        let mut at = id;
        while let Some(p) = self.parent.get(at) {
            if !found.insert(p) {
                break;
            }
            at = p;
        }
        found
    }
}

/// The shortest way (with bends priced) from a side of `from` to a side of `to` that enters
/// none of `obstacles`, or `None`.
fn search(from: &Rect, to: &Rect, obstacles: &[Rect]) -> Option<Vec<Point>> {
    let starts = ports(from);
    let ends = ports(to);
    // The ends are in the way of the link's middle too.
    let mut blocking: Vec<Rect> = obstacles.iter().map(|r| grow(r, CLEAR)).collect();
    blocking.push(*from);
    blocking.push(*to);

    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for r in obstacles.iter().chain([from, to]) {
        xs.extend([r.x - CHANNEL, r.x + r.w + CHANNEL]);
        ys.extend([r.y - CHANNEL, r.y + r.h + CHANNEL]);
    }
    for port in starts.iter().chain(&ends) {
        xs.extend([port.at.0, port.out.0]);
        ys.extend([port.at.1, port.out.1]);
    }
    let xs = sorted_unique(xs);
    let ys = sorted_unique(ys);
    let grid = Grid::new(&xs, &ys, &blocking);

    let index =
        |p: Point| Some((xs.binary_search_by(|x| cmp(*x, p.0)).ok()?, ys.binary_search_by(|y| cmp(*y, p.1)).ok()?));
    let targets: Vec<(usize, usize, Axis, Point)> = ends
        .iter()
        .filter_map(|port| {
            let (ix, iy) = index(port.out)?;
            (!grid.blocked_node(ix, iy)).then_some((ix, iy, port.axis, port.at))
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let heuristic = |ix: usize, iy: usize| {
        targets.iter().map(|t| (xs[ix] - xs[t.0]).abs() + (ys[iy] - ys[t.1]).abs()).fold(f64::INFINITY, f64::min)
    };

    let state = |ix: usize, iy: usize, axis: Axis| (iy * xs.len() + ix) * 2 + axis as usize;
    let mut best = vec![f64::INFINITY; xs.len() * ys.len() * 2];
    let mut came_from: Vec<Option<usize>> = vec![None; best.len()];
    let mut start_of: HashMap<usize, Point> = HashMap::new();
    let mut open = BinaryHeap::new();
    for port in &starts {
        let Some((ix, iy)) = index(port.out) else { continue };
        if grid.blocked_node(ix, iy) {
            continue;
        }
        let s = state(ix, iy, port.axis);
        let cost = length(port.at, port.out);
        if cost < best[s] {
            best[s] = cost;
            start_of.insert(s, port.at);
            open.push(Open { estimate: cost + heuristic(ix, iy), cost, state: s });
        }
    }
    let mut reached = None;
    while let Some(Open { estimate, cost, state: s }) = open.pop() {
        if reached.is_some_and(|(c, _, _)| c <= estimate) {
            break;
        }
        if cost > best[s] {
            continue;
        }
        let (cell, axis) = (s / 2, if s % 2 == 0 { Axis::Horizontal } else { Axis::Vertical });
        let (ix, iy) = (cell % xs.len(), cell / xs.len());
        if let Some(target) = targets.iter().find(|t| t.0 == ix && t.1 == iy) {
            // Arriving straight into the port costs nothing more; otherwise one more bend.
            let total = cost + if target.2 == axis { 0.0 } else { BEND };
            if reached.is_none_or(|(c, _, _)| total < c) {
                reached = Some((total, s, target.3));
            }
        }
        for (nx, ny, step_axis) in grid.neighbours(ix, iy) {
            let next = state(nx, ny, step_axis);
            let bend = if step_axis == axis { 0.0 } else { BEND };
            let step = (xs[nx] - xs[ix]).abs() + (ys[ny] - ys[iy]).abs();
            let cost = cost + step + bend;
            if cost < best[next] {
                best[next] = cost;
                came_from[next] = Some(s);
                open.push(Open { estimate: cost + heuristic(nx, ny), cost, state: next });
            }
        }
    }
    let (_, mut s, end) = reached?;
    let mut points = vec![end];
    loop {
        let cell = s / 2;
        points.push((xs[cell % xs.len()], ys[cell / xs.len()]));
        match came_from[s] {
            Some(previous) => s = previous,
            None => {
                points.push(*start_of.get(&s)?);
                break;
            }
        }
    }
    points.reverse();
    Some(simplified(points))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Axis {
    Horizontal = 0,
    Vertical = 1,
}

/// Where a link may leave a box: the middle of a side (`at`), and the point a channel's
/// width out from it (`out`), reached along `axis`.
struct Port {
    at: Point,
    out: Point,
    axis: Axis,
}

fn ports(r: &Rect) -> [Port; 4] {
    let (cx, cy) = r.center();
    [
        Port { at: (r.x, cy), out: (r.x - CHANNEL, cy), axis: Axis::Horizontal },
        Port { at: (r.x + r.w, cy), out: (r.x + r.w + CHANNEL, cy), axis: Axis::Horizontal },
        Port { at: (cx, r.y), out: (cx, r.y - CHANNEL), axis: Axis::Vertical },
        Port { at: (cx, r.y + r.h), out: (cx, r.y + r.h + CHANNEL), axis: Axis::Vertical },
    ]
}

/// Which points and steps of the grid lie in an obstacle.
struct Grid {
    nx: usize,
    ny: usize,
    node: Vec<bool>,
    /// The step from (ix, iy) to (ix + 1, iy), and to (ix, iy + 1).
    across: Vec<bool>,
    down: Vec<bool>,
}

impl Grid {
    fn new(xs: &[f64], ys: &[f64], blocking: &[Rect]) -> Grid {
        let (nx, ny) = (xs.len(), ys.len());
        let mut grid =
            Grid { nx, ny, node: vec![false; nx * ny], across: vec![false; nx * ny], down: vec![false; nx * ny] };
        let mid_x: Vec<f64> = xs.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
        let mid_y: Vec<f64> = ys.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
        // The positions of `values` strictly between `low` and `high`.
        let inside = |values: &[f64], low: f64, high: f64| {
            let first = values.partition_point(|v| *v <= low);
            let last = values.partition_point(|v| *v < high);
            first..last.max(first)
        };
        for r in blocking {
            let (x0, x1, y0, y1) = (r.x, r.x + r.w, r.y, r.y + r.h);
            for iy in inside(ys, y0, y1) {
                for ix in inside(xs, x0, x1) {
                    grid.node[iy * nx + ix] = true;
                }
                for ix in inside(&mid_x, x0, x1) {
                    grid.across[iy * nx + ix] = true;
                }
            }
            for iy in inside(&mid_y, y0, y1) {
                for ix in inside(xs, x0, x1) {
                    grid.down[iy * nx + ix] = true;
                }
            }
        }
        grid
    }

    fn blocked_node(&self, ix: usize, iy: usize) -> bool {
        self.node[iy * self.nx + ix]
    }

    fn neighbours(&self, ix: usize, iy: usize) -> impl Iterator<Item = (usize, usize, Axis)> + '_ {
        let at = iy * self.nx + ix;
        let left = (ix > 0 && !self.across[at - 1]).then(|| (ix - 1, iy, Axis::Horizontal));
        let right = (ix + 1 < self.nx && !self.across[at]).then_some((ix + 1, iy, Axis::Horizontal));
        let up = (iy > 0 && !self.down[at - self.nx]).then(|| (ix, iy - 1, Axis::Vertical));
        let below = (iy + 1 < self.ny && !self.down[at]).then_some((ix, iy + 1, Axis::Vertical));
        [left, right, up, below].into_iter().flatten().filter(|(x, y, _)| !self.blocked_node(*x, *y))
    }
}

#[derive(PartialEq)]
struct Open {
    estimate: f64,
    cost: f64,
    state: usize,
}

impl Eq for Open {}

impl Ord for Open {
    /// The smallest estimate first (the heap is a max-heap).
    fn cmp(&self, other: &Self) -> Ordering {
        other.estimate.partial_cmp(&self.estimate).unwrap_or(Ordering::Equal).then(other.state.cmp(&self.state))
    }
}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Segments of different links that run along the same line and overlap are moved apart,
/// each by a few units (a link's first and last segments move its ends along their sides).
fn spread_parallel(routes: &mut [Option<Vec<Point>>]) {
    // (horizontal, line, start, end, route, segment)
    let mut segments: Vec<(bool, f64, f64, f64, usize, usize)> = Vec::new();
    for (r, points) in routes.iter().enumerate() {
        let Some(points) = points else { continue };
        for (s, w) in points.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            if (a.1 - b.1).abs() < 1e-9 && (a.0 - b.0).abs() > 1e-9 {
                segments.push((true, round(a.1), a.0.min(b.0), a.0.max(b.0), r, s));
            } else if (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() > 1e-9 {
                segments.push((false, round(a.0), a.1.min(b.1), a.1.max(b.1), r, s));
            }
        }
    }
    crate::sorting::sort_by(&mut segments, |p, q| {
        (p.0.cmp(&q.0)).then(p.1.total_cmp(&q.1)).then(p.2.total_cmp(&q.2)).then(p.4.cmp(&q.4))
    });
    let mut shifts: Vec<(usize, usize, bool, f64)> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        // A cluster: segments on one line, each overlapping the reach of those before it.
        let (horizontal, line, _, mut reach, ..) = segments[i];
        let mut j = i + 1;
        while j < segments.len() && segments[j].0 == horizontal && segments[j].1 == line && segments[j].2 < reach - 1e-9
        {
            reach = reach.max(segments[j].3);
            j += 1;
        }
        let mut members: Vec<usize> = segments[i..j].iter().map(|s| s.4).collect();
        members.dedup();
        if members.len() > 1 {
            let step = SPREAD.min(2.0 * SPREAD_MAX / (members.len() - 1) as f64);
            for segment in &segments[i..j] {
                let rank = members.iter().position(|m| *m == segment.4).unwrap_or(0) as f64;
                let offset = (rank - (members.len() - 1) as f64 / 2.0) * step;
                shifts.push((segment.4, segment.5, horizontal, offset));
            }
        }
        i = j;
    }
    for (r, s, horizontal, offset) in shifts {
        if let Some(points) = routes[r].as_mut() {
            for p in &mut points[s..=s + 1] {
                if horizontal {
                    p.1 += offset;
                } else {
                    p.0 += offset;
                }
            }
        }
    }
}

/// An orthogonal line from the side of `from` that faces `to` to the side of `to` that faces
/// back, bending half-way: for a link with too many boxes in its way to route around them.
fn direct(from: &Rect, to: &Rect) -> Vec<Point> {
    let ((fx, fy), (tx, ty)) = (from.center(), to.center());
    if to.x >= from.x + from.w || from.x >= to.x + to.w {
        let (out, into) = if tx > fx { (from.x + from.w, to.x) } else { (from.x, to.x + to.w) };
        let middle = (out + into) / 2.0;
        simplified(vec![(out, fy), (middle, fy), (middle, ty), (into, ty)])
    } else if to.y >= from.y + from.h || from.y >= to.y + to.h {
        let (out, into) = if ty > fy { (from.y + from.h, to.y) } else { (from.y, to.y + to.h) };
        let middle = (out + into) / 2.0;
        simplified(vec![(fx, out), (fx, middle), (tx, middle), (tx, into)])
    } else {
        straight(from, to)
    }
}

/// A straight line from border to border: for a link between boxes that overlap.
fn straight(from: &Rect, to: &Rect) -> Vec<Point> {
    vec![border_point(from, to.center()), border_point(to, from.center())]
}

/// Where the line from the centre of `rect` towards `toward` leaves the rect.
pub fn border_point(rect: &Rect, toward: Point) -> Point {
    let (cx, cy) = rect.center();
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    if dx == 0.0 && dy == 0.0 {
        return (cx, cy);
    }
    let tx = if dx == 0.0 { f64::INFINITY } else { (rect.w / 2.0) / dx.abs() };
    let ty = if dy == 0.0 { f64::INFINITY } else { (rect.h / 2.0) / dy.abs() };
    let t = tx.min(ty).min(1.0);
    (cx + dx * t, cy + dy * t)
}

/// Whether the segment from `a` to `b` passes through the inside of `r` shrunk by `margin`
/// (running along its border is not entering it).
pub fn segment_enters(a: Point, b: Point, r: &Rect, margin: f64) -> bool {
    let inside = margin + 1e-9;
    let shrunk = Rect { x: r.x + inside, y: r.y + inside, w: r.w - 2.0 * inside, h: r.h - 2.0 * inside };
    shrunk.w > 0.0 && shrunk.h > 0.0 && clip_fractions(a, b, &shrunk).is_some_and(|(enter, leave)| enter < leave - 1e-9)
}

/// Where the segment from `a` to `b` enters and leaves `r` (its border included), as
/// fractions of the way from `a` (Liang–Barsky); `None` when it misses it.
pub fn clip_fractions(a: Point, b: Point, r: &Rect) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut enter, mut leave) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a.0 - r.x), (dx, r.x + r.w - a.0), (-dy, a.1 - r.y), (dy, r.y + r.h - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                enter = enter.max(t);
            } else {
                leave = leave.min(t);
            }
        }
    }
    (enter <= leave).then_some((enter, leave))
}

fn simplified(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|q| (q.0 - p.0).abs() < 1e-9 && (q.1 - p.1).abs() < 1e-9) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = ((a.0 - b.0).abs() < 1e-9 && (b.0 - p.0).abs() < 1e-9)
                || ((a.1 - b.1).abs() < 1e-9 && (b.1 - p.1).abs() < 1e-9);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    if out.len() < 2 {
        out.push(out[0]);
    }
    out
}

fn sorted_unique(mut values: Vec<f64>) -> Vec<f64> {
    crate::sorting::sort_by(&mut values, f64::total_cmp);
    values.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    values
}

fn cmp(a: f64, b: f64) -> Ordering {
    if (a - b).abs() < 1e-6 { Ordering::Equal } else { a.total_cmp(&b) }
}

fn length(a: Point, b: Point) -> f64 {
    (a.0 - b.0).abs() + (a.1 - b.1).abs()
}

/// A coordinate as written: two decimals at most.
pub(crate) fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn grow(r: &Rect, by: f64) -> Rect {
    Rect { x: r.x - by, y: r.y - by, w: r.w + 2.0 * by, h: r.h + 2.0 * by }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}
