//! What the drawing of a design shows, worked out once for every picture of it: the canvas
//! and the SVG, PNG and report exports all draw from here, so they look alike.
//!
//! - [`text`]: how wide text is, and fitting a name into a box.
//! - [`face`](Face): what is written on an element and where — its icon, its name (wrapped,
//!   or ended in "…" with the whole name as a tooltip), one line of detail, and the chips
//!   naming what protects it (a subnet's NSG and route table, a VM's NSG and ASGs).
//! - [`route`]: where each link runs — orthogonally around the boxes it does not join.
//! - [`LinkStyle`] and [`legend`]: how each kind of link is drawn, and the legend of those a
//!   design uses.

pub mod route;
pub mod text;

use crate::design::{Design, Rect};
use crate::element::{Element, ElementKind, ElementProps};
use crate::link::{Link, LinkKind, LinkProps};
use crate::rules::i18n::Lang;
use text::{Fitted, Weight, fit, width};

/// Text sizes, in the drawing's units (CSS px at 100 %).
pub const NAME_SIZE: f64 = 13.0;
pub const DETAIL_SIZE: f64 = 12.0;
pub const CHIP_SIZE: f64 = 10.0;
pub const CAPTION_SIZE: f64 = 12.0;
/// The height of a chip, and the widest one may be.
pub const CHIP_HEIGHT: f64 = 15.0;
const CHIP_MAX: f64 = 130.0;
/// Room in a chip besides its text: padding and its icon.
const CHIP_ROOM: f64 = 4.0 + 11.0 + 3.0 + 6.0;

/// What is drawn on an element, positioned in the drawing's units.
#[derive(Clone, Debug, PartialEq)]
pub struct Face {
    /// The icon's top-left corner and its size.
    pub icon: (f64, f64, f64),
    pub lines: Vec<Line>,
    pub chips: Vec<Chip>,
    /// The whole name, when the lines show only part of it.
    pub tooltip: Option<String>,
}

/// One line of text; `y` is its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub part: Part,
}

/// What a line of an element's face shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Name,
    Detail,
}

impl Part {
    pub fn size(self) -> f64 {
        match self {
            Part::Name => NAME_SIZE,
            Part::Detail => DETAIL_SIZE,
        }
    }

    pub fn weight(self) -> Weight {
        match self {
            Part::Name => Weight::Bold,
            Part::Detail => Weight::Regular,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Name => "label",
            Part::Detail => "detail",
        }
    }
}

/// A chip naming an NSG, route table or ASG that applies to the element.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    pub kind: ElementKind,
    /// The protecting element.
    pub id: String,
    /// Its name as drawn (maybe cut short), and whole.
    pub text: String,
    pub name: String,
    pub rect: Rect,
}

impl Chip {
    /// Where the chip's text starts (after its icon) and its baseline.
    pub fn text_at(&self) -> (f64, f64) {
        (self.rect.x + 18.0, self.rect.y + 11.0)
    }

    /// The chip's icon: its top-left corner and size.
    pub fn icon(&self) -> (f64, f64, f64) {
        (self.rect.x + 4.0, self.rect.y + 2.0, 11.0)
    }
}

/// The face of `element` drawn in `rect`, its texts in `lang`; `name_of` gives the name of
/// an element by id (for the chips: an index or a map, never a search of the design).
pub fn face(element: &Element, rect: &Rect, lang: Lang, name_of: &dyn Fn(&str) -> Option<String>) -> Face {
    let name = element.display_name();
    let detail = detail(element, lang).unwrap_or_default();
    let chips = protections(element, name_of);
    if element.kind().is_container() {
        container_face(rect, name, &detail, &chips)
    } else {
        leaf_face(rect, name, &detail, &chips)
    }
}

/// The names of elements by id, from a design's index, for [`face`].
pub fn names_in<'a>(index: &'a crate::design::Index<'a>) -> impl Fn(&str) -> Option<String> + 'a {
    move |id| index.element(id).map(|e| e.display_name().to_owned())
}

/// The NSGs, route tables and ASGs named on an element's face: a subnet's NSG and route
/// table, a VM's NIC NSG and ASGs (kind, id, name; a missing one by its id).
pub fn protections(element: &Element, name_of: &dyn Fn(&str) -> Option<String>) -> Vec<(ElementKind, String, String)> {
    let named = |kind: ElementKind, id: &str| (kind, id.to_owned(), name_of(id).unwrap_or_else(|| id.to_owned()));
    match &element.props {
        ElementProps::Subnet(subnet) => {
            [(ElementKind::Nsg, &subnet.nsg), (ElementKind::RouteTable, &subnet.route_table)]
                .into_iter()
                .filter_map(|(kind, id)| id.as_ref().map(|id| named(kind, id.as_str())))
                .collect()
        }
        ElementProps::Vm(vm) => (vm.nsg.iter().map(|id| named(ElementKind::Nsg, id.as_str())))
            .chain(vm.asgs.iter().map(|id| named(ElementKind::Asg, id.as_str())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The one line of detail under (or after) an element's name.
pub fn detail(element: &Element, lang: Lang) -> Option<String> {
    let ja = lang == Lang::Ja;
    let ports = |ports: &[u16]| {
        let list: Vec<String> = ports.iter().map(u16::to_string).collect();
        if ja { format!("ポート {}", list.join(", ")) } else { format!("ports {}", list.join(", ")) }
    };
    match &element.props {
        ElementProps::Region(region) => region.location.clone(),
        ElementProps::Vnet(vnet) => Some(vnet.address_space.join(", ")),
        ElementProps::OnPremises(site) => Some(site.address_space.join(", ")),
        ElementProps::Subnet(subnet) => {
            let prefix =
                subnet.prefix.as_deref().unwrap_or(if ja { "プレフィックスなし" } else { "no prefix" });
            Some(format!("{prefix} · {}", subnet.role.as_str()))
        }
        ElementProps::Vm(vm) => {
            Some(format!("{} ×{}", vm.size.as_deref().unwrap_or(if ja { "サイズ?" } else { "size?" }), vm.count))
        }
        ElementProps::LoadBalancer(lb) => Some(ports(&lb.ports)),
        ElementProps::AppGateway(gateway) => Some(ports(&gateway.ports)),
        ElementProps::Nsg(nsg) => {
            let n = nsg.rules.len();
            Some(if ja { format!("規則 {n} 件") } else { counted(n, "rule", "rules") })
        }
        ElementProps::RouteTable(table) => {
            let n = table.routes.len();
            Some(if ja { format!("ルート {n} 件") } else { counted(n, "route", "routes") })
        }
        ElementProps::DedicatedHost(host) => host.sku.clone(),
        ElementProps::VpnGateway(gateway) => Some(gateway.sku.clone()),
        ElementProps::ExpressRouteGateway(gateway) => Some(gateway.sku.clone()),
        _ => None,
    }
    .filter(|d| !d.is_empty())
}

/// Sizes of the names drawn when the canvas is zoomed out (`far_lines`): large enough to be
/// read at the zoom where the usual names would be too small.
pub const FAR_LEAF_SIZE: f64 = 20.0;
pub const FAR_CONTAINER_SIZE: f64 = 24.0;

/// The name of an element drawn large, for a zoomed-out view: a container's in its header,
/// a leaf's beside its icon and on under it. What does not fit ends in "…".
pub fn far_lines(element: &Element, rect: &Rect) -> Vec<Line> {
    let name = element.display_name();
    let line = |x: f64, y: f64, text: String| Line { x, y, text, part: Part::Name };
    if element.kind().is_container() {
        let x = rect.x + 10.0;
        let fitted = fit(name, FAR_CONTAINER_SIZE, Weight::Bold, (rect.w - 18.0).max(0.0), 1);
        return fitted.lines.into_iter().map(|text| line(x, rect.y + 27.0, text)).collect();
    }
    let beside = (rect.x + 42.0, rect.y + 30.0, (rect.w - 48.0).max(0.0));
    let under = (rect.x + 8.0, rect.y + 57.0, (rect.w - 16.0).max(0.0));
    let places = if rect.h >= 62.0 { vec![beside, under] } else { vec![beside] };
    let widths: Vec<f64> = places.iter().map(|p| p.2).collect();
    let fitted = text::fit_lines(name, FAR_LEAF_SIZE, Weight::Bold, &widths);
    fitted.lines.into_iter().zip(places).map(|(text, (x, y, _))| line(x, y, text)).collect()
}

/// The sizes of the titles drawn over regions and VNets when the canvas is zoomed out so far
/// that no other name can be read (`title`).
pub const TITLE_SIZES: [f64; 4] = [40.0, 64.0, 100.0, 160.0];

/// A title for a region or a VNet seen from afar: a VNet's name across its middle (on two
/// lines when it needs them), a region's above its top left corner; as large as it fits (one
/// of [`TITLE_SIZES`]), with the anchor of its `x` (`middle` or `start`). `None` for other
/// kinds, or when no size fits.
pub fn title(element: &Element, rect: &Rect) -> Option<(Vec<Line>, f64, &'static str)> {
    let name = element.display_name();
    let lines = |size: f64, most: usize| {
        Some(fit(name, size, Weight::Bold, rect.w * 0.9, most)).filter(|f| !f.cut && !f.lines.is_empty())
    };
    let line = |x: f64, y: f64, text: String| Line { x, y, text, part: Part::Name };
    match element.kind() {
        ElementKind::Vnet => TITLE_SIZES.iter().rev().find_map(|&size| {
            let fitted = lines(size, 2).filter(|f| f.lines.len() as f64 * size * 1.2 <= rect.h * 0.7)?;
            let pitch = (size * 1.2).ceil();
            let first = rect.y + rect.h / 2.0 - (fitted.lines.len() as f64 - 1.0) * pitch / 2.0 + size * 0.35;
            let drawn = (fitted.lines.into_iter().enumerate())
                .map(|(i, text)| line(rect.x + rect.w / 2.0, first + i as f64 * pitch, text))
                .collect();
            Some((drawn, size, "middle"))
        }),
        ElementKind::Region => TITLE_SIZES.iter().rev().find_map(|&size| {
            let fitted = lines(size, 1)?;
            Some((
                fitted.lines.into_iter().map(|text| line(rect.x, rect.y - size * 0.25, text)).collect(),
                size,
                "start",
            ))
        }),
        _ => None,
    }
}

/// Where a face has something drawn: its icon with its lines (one box), and each chip.
pub fn header_marks(face: &Face) -> Vec<Rect> {
    let (x, y, size) = face.icon;
    let mut mark = Rect { x, y, w: size, h: size };
    for line in &face.lines {
        let w = width(&line.text, line.part.size(), line.part.weight());
        mark = mark.union(&Rect { x: line.x, y: line.y - line.part.size(), w, h: line.part.size() * 1.25 });
    }
    std::iter::once(mark).chain(face.chips.iter().map(|chip| chip.rect)).collect()
}

/// How wide a leaf is drawn when nothing says otherwise: wide enough for its name on the
/// lines it has (its longest word on one), its detail and its chips, within limits.
pub fn leaf_width(element: &Element, name_of: &dyn Fn(&str) -> Option<String>) -> f64 {
    let name = element.display_name();
    let chips = protections(element, name_of);
    let detail = detail(element, Lang::En).unwrap_or_default();
    let name_lines = if !chips.is_empty() && !detail.is_empty() { 1.0 } else { 2.0 };
    let widest_word = name.split_whitespace().map(|w| width(w, NAME_SIZE, Weight::Bold)).fold(0.0, f64::max);
    let name_width = width(name, NAME_SIZE, Weight::Bold);
    let for_name = 50.0 + widest_word.max(name_width / name_lines * 1.15).min(name_width);
    let for_detail = 50.0 + width(&detail, DETAIL_SIZE, Weight::Regular);
    let for_chips = 16.0
        + chips
            .iter()
            .map(|(_, _, name)| CHIP_ROOM + width(name, CHIP_SIZE, Weight::Regular).min(CHIP_MAX - CHIP_ROOM) + 4.0)
            .sum::<f64>();
    for_name.max(for_detail).max(for_chips).clamp(LEAF_MIN_WIDTH, LEAF_MAX_WIDTH).ceil()
}

/// The narrowest and widest a leaf is drawn when nothing says otherwise.
pub const LEAF_MIN_WIDTH: f64 = 150.0;
pub const LEAF_MAX_WIDTH: f64 = 240.0;

/// The height of a container's header, where its name is written: its children lie below.
pub const HEADER: f64 = crate::layout::HEADER;

/// A container: icon, name, detail and chips on one line along the top.
fn container_face(rect: &Rect, name: &str, detail: &str, protections: &[(ElementKind, String, String)]) -> Face {
    let icon = (rect.x + 10.0, rect.y + 9.0, 18.0);
    let start = rect.x + 34.0;
    let end = rect.x + rect.w - 8.0;
    let baseline = rect.y + 23.0;
    let room = (end - start).max(0.0);
    let name_width = width(name, NAME_SIZE, Weight::Bold);
    let detail_width = if detail.is_empty() { 0.0 } else { 10.0 + width(detail, DETAIL_SIZE, Weight::Regular) };

    // Chips sit at the right end of the header; the name keeps at least half the room.
    let mut chips = chip_row(protections, end, rect.y + 10.5, room * 0.5, Align::Right);
    let chips_width = chips.first().map_or(0.0, |first| end - first.rect.x + 8.0);
    let mut name_room = room - chips_width;
    if name_width > name_room && !chips.is_empty() {
        chips.clear();
        name_room = room;
    }
    let fitted = fit(name, NAME_SIZE, Weight::Bold, name_room, 1);
    let mut lines: Vec<Line> =
        fitted.lines.iter().map(|text| Line { x: start, y: baseline, text: text.clone(), part: Part::Name }).collect();
    let after_name = fitted.width(NAME_SIZE, Weight::Bold);
    if !fitted.cut && !detail.is_empty() && after_name + detail_width <= name_room {
        lines.push(Line { x: start + after_name + 10.0, y: baseline, text: detail.to_owned(), part: Part::Detail });
    }
    Face { icon, lines, chips, tooltip: fitted.cut.then(|| name.to_owned()) }
}

/// A leaf: the icon at the top left, the name beside it (two lines when it needs them and
/// there is room), then the detail and the chips, each on a line of its own while the box
/// has room.
fn leaf_face(rect: &Rect, name: &str, detail: &str, protections: &[(ElementKind, String, String)]) -> Face {
    const ROW: f64 = 16.0;
    let icon = (rect.x + 8.0, rect.y + 8.0, 28.0);
    let beside = rect.x + 44.0;
    let right = rect.x + rect.w - 6.0;
    let rows = (((rect.h - 10.0) / ROW).floor() as usize).max(1);
    let wanted_chips = usize::from(!protections.is_empty());
    let wanted_detail = usize::from(!detail.is_empty());
    let name_rows = rows.saturating_sub(wanted_chips + wanted_detail).clamp(1, 2);
    // The first two rows lie beside the icon, the rest under it.
    let row_x = |row: usize| if row < 2 { beside } else { rect.x + 10.0 };
    let row_y = |row: usize| rect.y + 22.0 + ROW * row as f64;

    let fitted: Fitted = fit(name, NAME_SIZE, Weight::Bold, (right - beside).max(0.0), name_rows);
    let mut lines: Vec<Line> = Vec::new();
    let mut row = 0;
    for text in &fitted.lines {
        lines.push(Line { x: row_x(row), y: row_y(row), text: text.clone(), part: Part::Name });
        row += 1;
    }
    row = row.max(1);
    if !detail.is_empty() && row < rows {
        // Beside the icon when it fits there; else under it, where the line is longer, when
        // that row is free.
        let beside_fits = width(detail, DETAIL_SIZE, Weight::Regular) <= right - row_x(row);
        if !beside_fits && protections.is_empty() && row + 1 < rows && row_x(row + 1) < row_x(row) {
            row += 1;
        }
        let shown = fit(detail, DETAIL_SIZE, Weight::Regular, (right - row_x(row)).max(0.0), 1);
        if let Some(text) = shown.lines.into_iter().next() {
            lines.push(Line { x: row_x(row), y: row_y(row), text, part: Part::Detail });
            row += 1;
        }
    }
    let chips = if row < rows {
        let top = row_y(row) - 11.0;
        chip_row(protections, row_x(row), top, right - row_x(row), Align::Left)
    } else {
        Vec::new()
    };
    Face { icon, lines, chips, tooltip: fitted.cut.then(|| name.to_owned()) }
}

enum Align {
    /// Chips run right from `at`.
    Left,
    /// Chips end at `at`.
    Right,
}

/// As many chips as fit in `room` along a row whose top is `top`; the last one says how
/// many more there are when they do not all fit.
fn chip_row(protections: &[(ElementKind, String, String)], at: f64, top: f64, room: f64, align: Align) -> Vec<Chip> {
    const GAP: f64 = 4.0;
    let mut chips: Vec<Chip> = Vec::new();
    let mut used = 0.0;
    for (kind, id, name) in protections {
        let text_room = (CHIP_MAX - CHIP_ROOM).min(room - used - CHIP_ROOM);
        let fitted = fit(name, CHIP_SIZE, Weight::Regular, text_room, 1);
        let Some(text) = fitted.lines.into_iter().next().filter(|t| !t.ends_with('…') || t.chars().count() > 3)
        else {
            break;
        };
        let w = CHIP_ROOM + width(&text, CHIP_SIZE, Weight::Regular);
        chips.push(Chip {
            kind: *kind,
            id: id.clone(),
            text,
            name: name.clone(),
            rect: Rect { x: used, y: top, w, h: CHIP_HEIGHT },
        });
        used += w + GAP;
    }
    let total = (used - GAP).max(0.0);
    for chip in &mut chips {
        chip.rect.x += match align {
            Align::Left => at,
            Align::Right => at - total,
        };
    }
    chips
}

/// How a kind of link is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    pub colour: &'static str,
    pub width: f64,
    /// An SVG dash array, or "none".
    pub dash: &'static str,
    /// Whether the link has a direction, shown by an arrowhead at its end.
    pub directed: bool,
}

/// The style of a link kind; a VPN over ExpressRoute is drawn as a VPN in ExpressRoute's colour.
pub fn link_style(kind: LinkKind) -> LinkStyle {
    let style = |colour, width, dash, directed| LinkStyle { colour, width, dash, directed };
    match kind {
        LinkKind::Peering => style("#2f855a", 3.0, "none", false),
        LinkKind::Vpn => style("#805ad5", 2.0, "2 4", true),
        LinkKind::ExpressRoute => style("#dd6b20", 4.0, "none", true),
        LinkKind::Flow => style("#0b6bcb", 2.0, "6 4", true),
        LinkKind::Replication => style("#c53030", 2.0, "10 4", false),
        LinkKind::DnsLink => style("#718096", 2.0, "1 3", false),
    }
}

/// The style of one link: its kind's, and for a VPN carried over ExpressRoute a heavier,
/// dash-dotted line.
pub fn style_of(link: &Link) -> LinkStyle {
    match &link.props {
        LinkProps::Vpn(vpn) if vpn.over_express_route.is_some() => {
            LinkStyle { width: 4.0, dash: "8 3 2 3", ..link_style(LinkKind::Vpn) }
        }
        _ => link_style(link.kind()),
    }
}

/// The colour of a kind's icon, by its family: networking blue, security orange, hybrid
/// connectivity green, operations violet.
pub fn icon_colour(kind: ElementKind) -> &'static str {
    use ElementKind as K;
    match kind {
        K::Nsg | K::Asg | K::Firewall | K::Nva | K::Bastion | K::KeyVault => "#c05621",
        K::OnPremises | K::Internet | K::VpnGateway | K::ExpressRouteGateway => "#2f855a",
        K::RecoveryVault | K::PrivateDnsZone | K::TrafficManager | K::FrontDoor => "#6b46c1",
        _ => "#0b6bcb",
    }
}

/// One line of the legend: how it is drawn and what it means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegendEntry {
    pub style: LinkStyle,
    /// A link kind's name, or `vpnOverExpressRoute`.
    pub key: &'static str,
    pub name: &'static str,
}

/// The legend of a design: an entry for each kind of link it uses (and for a VPN over
/// ExpressRoute), in a fixed order.
pub fn legend(design: &Design, lang: Lang) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = LinkKind::ALL
        .iter()
        .copied()
        .filter(|kind| design.links.iter().any(|l| l.kind() == *kind))
        .map(|kind| LegendEntry { style: link_style(kind), key: kind.as_str(), name: link_kind_name(kind, lang) })
        .collect();
    let over_er = design.links.iter().find(|l| matches!(&l.props, LinkProps::Vpn(v) if v.over_express_route.is_some()));
    if let Some(link) = over_er {
        let name = if lang == Lang::Ja { "ExpressRoute 経由の VPN" } else { "VPN over ExpressRoute" };
        entries.push(LegendEntry { style: style_of(link), key: "vpnOverExpressRoute", name });
    }
    entries
}

/// The style of the reachability path drawn over a design.
pub const PATH_STYLE: LinkStyle = LinkStyle { colour: "#c026d3", width: 5.0, dash: "none", directed: true };

/// What a link's caption says: a flow's port.
pub fn caption(link: &Link, lang: Lang) -> Option<String> {
    match &link.props {
        LinkProps::Flow(flow) => Some(flow.port.map_or_else(
            || if lang == Lang::Ja { "任意のポート".to_owned() } else { "any port".to_owned() },
            |port| port.to_string(),
        )),
        _ => None,
    }
}

/// The name of a link kind (in the legend, the inspector and the editor's choice of link).
pub fn link_kind_name(kind: LinkKind, lang: Lang) -> &'static str {
    let ja = lang == Lang::Ja;
    match kind {
        LinkKind::Peering => {
            if ja {
                "ピアリング"
            } else {
                "Peering"
            }
        }
        LinkKind::Vpn => {
            if ja {
                "サイト間 VPN"
            } else {
                "Site-to-site VPN"
            }
        }
        LinkKind::ExpressRoute => "ExpressRoute",
        LinkKind::Flow => {
            if ja {
                "フロー (想定するトラフィック)"
            } else {
                "Flow (intended traffic)"
            }
        }
        LinkKind::Replication => {
            if ja {
                "レプリケーション"
            } else {
                "Replication"
            }
        }
        LinkKind::DnsLink => {
            if ja {
                "DNS 仮想ネットワーク リンク"
            } else {
                "DNS link"
            }
        }
    }
}

/// `n` things in English: "1 rule", "7 rules".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
