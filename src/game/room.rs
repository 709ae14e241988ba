//! The room view: the picture of the place the trainee is in, the people
//! present, the light of the time of day, and the things they can look at,
//! each marked where it is. What a look revealed is drawn where it was seen
//! (the boots by the door), and every marker stays on its object whatever has
//! been looked at.
//!
//! Drawn with egui in the band the case screen reserves, so the headless
//! layout tests see it as the trainee does. Hotspots are buttons beside their
//! markers, reachable with the mouse, with Tab (in the order they are drawn)
//! or with their letter key, which belongs to the hotspot for the whole scene.

use super::places::{Pictures, PlaceLayout};
use super::theme::Palette;
use super::{HOTSPOT_KEYS, Intent, people};
use crate::clock::Daylight;
use crate::scenario::{ActionIx, RoomKind, SceneDef};
use crate::sim::Session;
use crate::sim::appearance::{AgeBand, appearance};
use bevy_egui::egui::{self, Color32, Pos2, Rect, Stroke, pos2, vec2};

/// The shape of the place pictures: four times as wide as tall.
pub const PICTURE_ASPECT: f32 = 4.0;

/// The name of the picture a scene is drawn with.
pub fn picture_of(scene: &SceneDef) -> &str {
    scene.picture.as_deref().unwrap_or(scene.room.picture())
}

/// How much wider than the picture a band can be before the picture is
/// shown whole (with a plain wall either side) rather than cropped: cropping
/// a very wide, short band would leave only a strip of wall, nobody's feet.
const WIDEST_CROP: f32 = 1.3;

/// Where the picture goes in the band, centred: covering it (all of its
/// width or all of its height shown, the rest cropped evenly), or, in a band
/// much wider than the picture, whole at the band's height.
pub fn cover(band: Rect) -> Rect {
    let aspect = band.width() / band.height().max(1.0);
    let size = if aspect > PICTURE_ASPECT * WIDEST_CROP {
        vec2(band.height() * PICTURE_ASPECT, band.height())
    } else if aspect >= PICTURE_ASPECT {
        vec2(band.width(), band.width() / PICTURE_ASPECT)
    } else {
        vec2(band.height() * PICTURE_ASPECT, band.height())
    };
    Rect::from_center_size(band.center(), size)
}

/// A point of the picture (fractions of it) on the screen, kept inside the band.
fn on_screen(band: Rect, picture: Rect, (x, y): (f32, f32), margin: f32) -> Pos2 {
    let p = pos2(picture.min.x + x * picture.width(), picture.min.y + y * picture.height());
    let inner = band.shrink(margin.min(band.width() / 2.0 - 1.0).min(band.height() / 2.0 - 1.0));
    p.clamp(inner.min, inner.max)
}

/// Where hotspot `n` of the scene sits in its picture: where the author put
/// it, else on the `n`th thing the picture's layout names, else along the floor.
pub fn hotspot_spot(scene: &SceneDef, layout: Option<&PlaceLayout>, session: &Session, n: usize) -> (f32, f32) {
    if let Some(at) = scene.hotspots.get(n).and_then(|a| session.scenario().action(*a).at) {
        return at;
    }
    layout.and_then(|l| l.objects.values().nth(n).copied()).unwrap_or((0.1 + 0.8 * ((n as f32 * 0.37) % 1.0), 0.85))
}

/// The key that looks at the scene's `n`th hotspot: the same all through the
/// scene, whatever has been looked at.
pub fn hotspot_key(n: usize) -> char {
    HOTSPOT_KEYS.get(n).map_or(' ', |(_, c)| *c)
}

/// "A  The window".
fn hotspot_label(session: &Session, n: usize, a: ActionIx) -> String {
    format!("{}  {}", hotspot_key(n), session.render(&session.scenario().action(a).text))
}

/// What one drawing of the room put where.
pub struct RoomDrawn {
    /// Whether every hotspot's label fitted in the band (at large text sizes
    /// the markers show their keys and the labels are listed below the choices).
    pub labels_fit: bool,
    /// The hotspots' buttons.
    pub buttons: Vec<Rect>,
}

/// Draws the room in `band`: picture, light, people, what has been seen, and
/// the markers; then the hotspots' buttons on top.
pub fn draw_room(ui: &mut egui::Ui, band: Rect, session: &Session, p: &Palette, wanted: &mut Vec<Intent>) -> RoomDrawn {
    let scene = session.scene();
    let name = picture_of(scene);
    let pictures = Pictures::global();
    let layout = pictures.layout(name).or_else(|| pictures.layout(scene.room.picture()));
    let picture = cover(band);
    let painter = ui.painter_at(band);
    if !picture.contains_rect(band) {
        plain_room(&painter, band);
    }
    match pictures.place(name).or_else(|| pictures.place(scene.room.picture())) {
        Some(image) => paint_picture(ui, band, image, picture),
        None => plain_room(&painter, band),
    }
    let light = Daylight::at(session.now().clock());
    shade(&painter, band, light, p.picture_dim);
    let adult = band.height() * 0.78;
    if scene.room == RoomKind::PhoneCall && scene.picture.is_none() {
        on_the_line(&painter, band, session, adult);
    } else {
        standing_people(&painter, band, picture, layout, session, adult);
    }
    // What was seen, where it was seen.
    let size = band.height() * 0.42;
    for (n, a) in scene.hotspots.iter().enumerate() {
        let def = session.scenario().action(*a);
        if !session.actions().contains(a) {
            continue;
        }
        let at = on_screen(band, picture, hotspot_spot(scene, layout, session, n), size / 2.0);
        if let Some(image) = def.shows.as_deref().and_then(|o| pictures.object(o)) {
            paint_picture(ui, band, image, Rect::from_center_size(at, vec2(size, size)));
        }
        // A small tick: looked at.
        let tick = at + vec2(size * 0.35, -size * 0.35);
        painter.circle(tick, 7.0, ui.visuals().panel_fill, Stroke::new(1.5, p.marker));
        painter.line_segment([tick + vec2(-3.5, 0.0), tick + vec2(-1.0, 3.0)], Stroke::new(1.8, p.marker));
        painter.line_segment([tick + vec2(-1.0, 3.0), tick + vec2(3.5, -3.0)], Stroke::new(1.8, p.marker));
    }
    let offered = session.offered_hotspots();
    let radius = (band.height() * 0.07).clamp(6.0, 18.0);
    let markers: Vec<Pos2> = offered
        .iter()
        .map(|(n, _)| on_screen(band, picture, hotspot_spot(scene, layout, session, *n), radius * 1.3))
        .collect();
    for at in &markers {
        painter.circle_filled(*at, radius * 1.25, ui.visuals().panel_fill);
        painter.circle_stroke(*at, radius * 0.85, Stroke::new(radius * 0.3, p.marker));
        painter.circle_filled(*at, radius * 0.35, p.marker);
    }
    hotspot_buttons(ui.ctx(), band, session, &offered, &markers, wanted)
}

/// Paints a picture into `rect`, clipped to the band. It is rasterised at
/// the size it is shown (within the largest texture the GPU takes), once per
/// size; no loading spinner, which would keep the window busy.
fn paint_picture(ui: &egui::Ui, band: Rect, image: egui::ImageSource<'static>, rect: Rect) {
    let ctx = ui.ctx();
    let largest = (ctx.input(|i| i.max_texture_side) as f32).min(2048.0) / ctx.pixels_per_point();
    let scale = (largest / rect.width().max(rect.height()).max(1.0)).min(1.0);
    let loaded = egui::Image::new(image).load_for_size(ctx, rect.size() * scale);
    if let Ok(egui::load::TexturePoll::Ready { texture }) = loaded {
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        ui.painter_at(band).image(texture.id, rect, uv, Color32::WHITE);
    }
}

/// A wall and a floor, where a picture is missing.
fn plain_room(painter: &egui::Painter, band: Rect) {
    let floor = band.min.y + band.height() * 0.7;
    painter.rect_filled(
        Rect::from_min_max(band.min, pos2(band.max.x, floor)),
        0.0,
        Color32::from_rgb(0xE8, 0xE1, 0xD5),
    );
    painter.rect_filled(
        Rect::from_min_max(pos2(band.min.x, floor), band.max),
        0.0,
        Color32::from_rgb(0xC9, 0xB7, 0x9C),
    );
}

/// The light of the time of day over the picture, and the theme's dimming.
fn shade(painter: &egui::Painter, band: Rect, light: Daylight, dim: f32) {
    let tint = match light {
        Daylight::Morning => Some(Color32::from_rgba_unmultiplied(255, 226, 170, 34)),
        Daylight::Day => None,
        Daylight::Dusk => Some(Color32::from_rgba_unmultiplied(120, 70, 110, 64)),
        Daylight::Night => Some(Color32::from_rgba_unmultiplied(16, 24, 58, 120)),
    };
    if let Some(tint) = tint {
        painter.rect_filled(band, 0.0, tint);
    }
    if dim > 0.0 {
        painter.rect_filled(band, 0.0, Color32::from_black_alpha((dim * 255.0) as u8));
    }
}

/// The people present, standing where the picture has room for them; a
/// baby is carried, so stands in no spot of its own.
fn standing_people(
    painter: &egui::Painter,
    band: Rect,
    picture: Rect,
    layout: Option<&PlaceLayout>,
    session: &Session,
    adult: f32,
) {
    let present = &session.scene().present;
    let spots: &[(f32, f32)] = layout.map_or(&[], |l| &l.people);
    let spot = |i: usize| -> (f32, f32) {
        spots.get(i).copied().unwrap_or_else(|| {
            // More people than spots: fill in to the left of the first.
            let first = spots.first().copied().unwrap_or((0.9, 0.93));
            (first.0 - 0.1 * (i + 1 - spots.len()) as f32, first.1)
        })
    };
    let mut carrier: Option<Rect> = None;
    let mut i = 0;
    for person in present {
        let def = &session.scenario().people[person.ix()];
        let look = appearance(session.seed(), def);
        if look.age == AgeBand::Baby
            && let Some(held) = carrier
        {
            // Carried by the last adult drawn, at their chest.
            people::held(
                painter,
                pos2(held.center().x + held.width() * 0.2, held.min.y + held.height() * 0.36),
                adult,
                &look,
            );
            continue;
        }
        let feet = on_screen(band, picture, spot(i), 2.0);
        let feet = pos2(feet.x, feet.y.min(band.max.y - 2.0));
        let drawn = people::standing(painter, feet, adult, &look);
        if matches!(look.age, AgeBand::Adult | AgeBand::Older | AgeBand::Teenager) {
            carrier = Some(drawn);
        }
        i += 1;
    }
}

/// A phone call: who is on the line, and from where, on the right of the picture.
fn on_the_line(painter: &egui::Painter, band: Rect, session: &Session, adult: f32) {
    let present = &session.scene().present;
    if present.is_empty() {
        return;
    }
    let width = (band.width() * 0.36).min(360.0);
    let room = Rect::from_min_max(pos2(band.max.x - width - 8.0, band.min.y + 8.0), band.max - vec2(8.0, 8.0));
    let row = (room.height() / present.len() as f32).min(adult * 0.8);
    let area = Rect::from_min_size(room.min, vec2(room.width(), row * present.len() as f32));
    painter.rect_filled(area, 8.0, Color32::from_rgba_unmultiplied(247, 245, 240, 235));
    let size = (row * 0.26).clamp(12.0, 17.0);
    let ink = Color32::from_rgb(0x2E, 0x28, 0x23);
    for (i, person) in present.iter().enumerate() {
        let def = &session.scenario().people[person.ix()];
        let top = area.min.y + i as f32 * row;
        let face = Rect::from_min_size(pos2(area.min.x + 6.0, top + 4.0), vec2(row - 8.0, row - 8.0));
        people::portrait(painter, face, &appearance(session.seed(), def));
        let (name, who) = caller(session, *person);
        let mut job = egui::text::LayoutJob::default();
        let line = |job: &mut egui::text::LayoutJob, text: &str, font: egui::FontId| {
            job.append(text, 0.0, egui::TextFormat { font_id: font, color: ink, ..Default::default() });
        };
        line(&mut job, "On the line: ", egui::FontId::proportional(size * 0.85));
        line(&mut job, &name, egui::FontId::proportional(size));
        if let Some(who) = who {
            line(&mut job, &format!("\n{who}"), egui::FontId::proportional(size * 0.85));
        }
        job.wrap.max_width = area.max.x - face.max.x - 14.0;
        job.wrap.max_rows = ((row - 4.0) / (size * 1.2)).floor().max(1.0) as usize;
        let galley = painter.layout_job(job);
        painter.galley(pos2(face.max.x + 8.0, top + (row - galley.size().y) / 2.0), galley, ink);
    }
}

/// Who is on the line, as the trainee knows them: their name and the first
/// part of how the case file describes them ("Neil's sister"), or no name
/// for someone the trainee does not yet know of.
fn caller(session: &Session, p: crate::scenario::PersonIx) -> (String, Option<String>) {
    if !session.knows_of(p) {
        return ("someone you have not met".to_string(), None);
    }
    let who = session.person_description(p).and_then(|d| d.split(';').next().map(|s| s.trim().to_string()));
    (session.variation().name(p).to_string(), who.filter(|w| !w.is_empty()))
}

/// The hotspots' buttons: each beside its marker, or, where the labels
/// cannot all fit inside the band, its key alone on the marker.
fn hotspot_buttons(
    ctx: &egui::Context,
    band: Rect,
    session: &Session,
    offered: &[(usize, ActionIx)],
    markers: &[Pos2],
    wanted: &mut Vec<Intent>,
) -> RoomDrawn {
    let padding = ctx.global_style().spacing.button_padding;
    let font = egui::TextStyle::Button.resolve(&ctx.global_style());
    let measure =
        |text: &str| ctx.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font.clone(), Color32::WHITE)).size();
    let full: Vec<String> = offered.iter().map(|(n, a)| hotspot_label(session, *n, *a)).collect();
    let spots: Vec<LabelSpot> = markers.iter().zip(&full).map(|(m, l)| (*m, measure(l) + 2.0 * padding)).collect();
    let mut placed = place_hotspot_labels(band, &spots);
    let beside = placed.iter().all(|r| band.contains_rect(*r));
    // Where labels cannot sit beside their markers, they line up along the
    // foot of the picture, and each marker shows its key.
    let strip = if beside { None } else { legend_strip(band, &spots.iter().map(|(_, s)| *s).collect::<Vec<_>>()) };
    let fits = beside || strip.is_some();
    let hint_at =
        if strip.is_some() { band.left_top() + vec2(6.0, 6.0) } else { band.left_bottom() + vec2(6.0, -28.0) };
    let labels = if beside {
        full
    } else if let Some(strip) = strip {
        let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Middle, egui::Id::new("hotspot_keys")));
        for ((n, _), m) in offered.iter().zip(markers) {
            painter.text(
                *m,
                egui::Align2::CENTER_CENTER,
                hotspot_key(*n),
                font.clone(),
                ctx.global_style().visuals.strong_text_color(),
            );
        }
        placed = strip;
        full
    } else {
        // Each key sits on its marker, kept inside the band, and moved along
        // past any key already there.
        let keys: Vec<String> = offered.iter().map(|(n, _)| hotspot_key(*n).to_string()).collect();
        placed.clear();
        for (m, k) in markers.iter().zip(&keys) {
            let size = measure(k) + 2.0 * padding;
            let mut key = Rect::from_center_size(m.clamp(band.min + size / 2.0, band.max - size / 2.0), size);
            // At most one move per key placed: a band too crowded keeps the overlap.
            for _ in 0..placed.len() {
                let Some(hit) = placed.iter().find(|r| r.expand(2.0).intersects(key)) else { break };
                let right = hit.max.x + 4.0 + size.x <= band.max.x;
                let dx = if right { hit.max.x + 4.0 - key.min.x } else { hit.min.x - 4.0 - key.max.x };
                key = key.translate(vec2(dx, 0.0));
            }
            placed.push(key);
        }
        keys
    };
    if !offered.is_empty() {
        egui::Area::new(egui::Id::new("hotspot_hint"))
            .fixed_pos(hint_at)
            .order(egui::Order::Middle)
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::NONE.fill(ui.visuals().panel_fill).inner_margin(vec2(6.0, 2.0)).show(ui, |ui| {
                    let hint = egui::RichText::new(format!("Look closer: {}", keys_hint(offered))).small();
                    ui.add(egui::Label::new(hint).wrap_mode(egui::TextWrapMode::Extend));
                });
            });
    }
    let mut buttons = Vec::new();
    for ((&(_, a), label), at) in offered.iter().zip(labels).zip(placed) {
        let shown = egui::Area::new(egui::Id::new(("hotspot", a.0))).fixed_pos(at.min).order(egui::Order::Middle).show(
            ctx,
            |ui| {
                // One line, as measured: an area near the edge would otherwise wrap it.
                if ui.add(egui::Button::new(label).wrap_mode(egui::TextWrapMode::Extend)).clicked() {
                    wanted.push(Intent::Take(a));
                }
            },
        );
        buttons.push(shown.response.rect);
    }
    RoomDrawn { labels_fit: fits, buttons }
}

/// The hotspots' labels as a row of buttons along the foot of the band,
/// wrapping upwards, if they take no more than half its height.
fn legend_strip(band: Rect, sizes: &[egui::Vec2]) -> Option<Vec<Rect>> {
    let gap = 4.0;
    let left = band.min.x + 6.0;
    let mut rows: Vec<Vec<egui::Vec2>> = vec![Vec::new()];
    let mut x = left;
    for size in sizes {
        if x + size.x > band.max.x - 6.0 && rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
            x = left;
        }
        rows.last_mut()?.push(*size);
        x += size.x + gap;
    }
    let height = |row: &Vec<egui::Vec2>| row.iter().map(|s| s.y).fold(0.0, f32::max);
    let total: f32 = rows.iter().map(height).sum::<f32>() + gap * rows.len() as f32;
    if total > band.height() * 0.55 || sizes.iter().any(|s| s.x > band.width() - 12.0) {
        return None;
    }
    let mut placed = Vec::new();
    let mut y = band.max.y - total;
    for row in &rows {
        let mut x = left;
        for size in row {
            placed.push(Rect::from_min_size(pos2(x, y), *size));
            x += size.x + gap;
        }
        y += height(row) + gap;
    }
    Some(placed)
}

/// "key A", "keys A to C", or "keys A, C and D" when some have been looked at.
fn keys_hint(offered: &[(usize, ActionIx)]) -> String {
    let keys: Vec<char> = offered.iter().map(|(n, _)| hotspot_key(*n)).collect();
    match keys.as_slice() {
        [] => String::new(),
        [one] => format!("key {one}"),
        [first, .., last] if offered.windows(2).all(|w| w[1].0 == w[0].0 + 1) => format!("keys {first} to {last}"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(char::to_string).collect();
            format!("keys {} and {last}", rest.join(", "))
        }
    }
}

/// The hotspots as buttons below the choices, where their labels did not fit
/// in the room band.
pub fn look_around(ui: &mut egui::Ui, session: &Session, wanted: &mut Vec<Intent>, next: &mut Vec<Rect>) {
    ui.add_space(4.0);
    ui.label(egui::RichText::new("Look closer").strong());
    ui.horizontal_wrapped(|ui| {
        for (n, a) in session.offered_hotspots() {
            let response = ui.button(hotspot_label(session, n, a));
            next.push(response.rect);
            if response.clicked() {
                wanted.push(Intent::Take(a));
            }
        }
    });
}

/// A hotspot's marker and the size of its label.
pub type LabelSpot = (Pos2, egui::Vec2);

/// Where each hotspot's label goes, given its marker and its size: beside the
/// marker on the side with more room, stepped down (or up, in the lower half)
/// past any label already placed, so two hotspots close together never hide
/// each other's words.
pub fn place_hotspot_labels(band: Rect, markers: &[LabelSpot]) -> Vec<Rect> {
    let mut placed: Vec<Rect> = Vec::new();
    for &(at, size) in markers {
        let right_side = (at.x - band.min.x) / band.width().max(1.0) > 0.55;
        let left = if right_side { at.x - 18.0 - size.x } else { at.x + 18.0 };
        let beside = Rect::from_min_size(pos2(left, at.y - size.y / 2.0), size);
        let step = |down: bool| {
            let mut label = beside;
            while let Some(hit) = placed.iter().find(|r| r.expand(2.0).intersects(label)) {
                let dy = if down { hit.max.y + 4.0 - label.min.y } else { hit.min.y - 4.0 - label.max.y };
                label = label.translate(vec2(0.0, dy));
            }
            label
        };
        // Step away from the nearer edge of the band; the other way if that
        // leaves the band and the other way does not.
        let down = at.y <= band.center().y;
        let first = step(down);
        let inside = |r: &Rect| r.min.y >= band.min.y && r.max.y <= band.max.y;
        let label = if inside(&first) { first } else { Some(step(!down)).filter(inside).unwrap_or(first) };
        placed.push(label);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hotspot_labels_never_cover_each_other_and_sit_beside_their_marker_when_there_is_room() {
        let band = Rect::from_min_size(pos2(300.0, 50.0), vec2(620.0, 260.0));
        let size = vec2(180.0, 30.0);
        // The first case's front room: two hotspots close together, one each side of the middle.
        let crowded = [(pos2(630.0, 200.0), size), (pos2(843.0, 176.0), size), (pos2(400.0, 280.0), size)];
        let placed = place_hotspot_labels(band, &crowded);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.intersects(*b), "{a:?} covers {b:?}");
            }
        }
        // The first label is where it would be alone: right of its marker, centred on it.
        assert_eq!(placed[0].min, pos2(648.0, 185.0));
        // Far apart, each label keeps its place beside its marker.
        let apart = [(pos2(350.0, 80.0), size), (pos2(880.0, 280.0), size)];
        let placed = place_hotspot_labels(band, &apart);
        assert_eq!(placed[0].min, pos2(368.0, 65.0));
        assert_eq!(placed[1].max, pos2(862.0, 295.0), "on the right half, the label sits to the marker's left");
        // Text at 200%: stepping down past the first label would leave the
        // band (and cover the text below it), so the second steps up instead.
        let band = Rect::from_min_max(pos2(0.0, 240.0), pos2(1280.0, 465.0));
        let big = [(pos2(665.0, 371.0), vec2(280.0, 62.0)), (pos2(1100.0, 348.0), vec2(370.0, 62.0))];
        let placed = place_hotspot_labels(band, &big);
        assert!(!placed[0].intersects(placed[1]));
        assert!(placed[1].max.y <= band.max.y && placed[1].min.y >= band.min.y, "{:?} leaves the band", placed[1]);
    }

    #[test]
    fn the_picture_covers_the_band_and_keeps_its_shape() {
        for band in [
            Rect::from_min_size(pos2(260.0, 60.0), vec2(730.0, 160.0)),
            Rect::from_min_size(pos2(0.0, 90.0), vec2(400.0, 160.0)),
        ] {
            let p = cover(band);
            assert!(p.contains_rect(band), "{p:?} does not cover {band:?}");
            assert!((p.width() / p.height() - PICTURE_ASPECT).abs() < 1e-3);
            assert!((p.center() - band.center()).length() < 1e-3);
        }
        // A band far wider than the picture (a narrow window's full width at
        // large text) shows the picture whole: floor and people included.
        let wide = Rect::from_min_size(pos2(0.0, 100.0), vec2(1280.0, 130.0));
        let p = cover(wide);
        assert_eq!(p.height(), wide.height());
        assert!(wide.contains_rect(p.shrink(0.01)));
    }

    /// Looking at one thing moves no other marker, and no key: each stays
    /// with its object for the whole scene.
    #[test]
    fn markers_and_keys_stay_on_their_objects_whatever_has_been_looked_at() {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")), std::path::PathBuf::from);
        let text = std::fs::read_to_string(root.join("scenarios/marks-explained-away.ron")).expect("a shipped case");
        let s = std::sync::Arc::new(crate::scenario::load_str("marks.ron", &text).expect("it loads").0);
        let mut session = Session::new(s.clone(), 3);
        // Walk until a scene offers at least three things to look at.
        let script =
            std::fs::read_to_string(root.join("tests/scripts/marks-explained-away.exemplary.txt")).expect("script");
        let steps = crate::record::parse_script(&script);
        for a in crate::record::steps_for(&steps, &s, session.variation()).iter().filter_map(|i| s.action_id(i)) {
            if session.offered_hotspots().len() >= 3 {
                break;
            }
            session.take(a).expect("the exemplary path plays");
        }
        let before = session.offered_hotspots();
        assert!(before.len() >= 3, "a room with things to look at");
        let pictures = Pictures::global();
        let layout = pictures.layout(picture_of(session.scene()));
        let spots = |session: &Session| -> Vec<(ActionIx, char, (f32, f32))> {
            session
                .offered_hotspots()
                .into_iter()
                .map(|(n, a)| (a, hotspot_key(n), hotspot_spot(session.scene(), layout, session, n)))
                .collect()
        };
        let all = spots(&session);
        session.take(before[0].1).expect("looking is offered");
        let after = spots(&session);
        assert_eq!(after.len(), all.len() - 1);
        for spot in &after {
            assert!(all.contains(spot), "{spot:?} moved or changed its key after looking at something else");
        }
    }

    #[test]
    fn the_hint_names_only_the_keys_still_on_offer() {
        let a = |n: usize| (n, ActionIx(n as u16));
        assert_eq!(keys_hint(&[a(0)]), "key A");
        assert_eq!(keys_hint(&[a(0), a(1), a(2)]), "keys A to C");
        assert_eq!(keys_hint(&[a(0), a(2), a(3)]), "keys A, C and D");
        assert_eq!(keys_hint(&[a(1), a(2)]), "keys B to C");
    }
}
