//! The people present, drawn in the room view: calm, flat figures without
//! faces (no expression to misread, nothing to caricature), varied by the
//! seed in skin tone, hair, build and clothes ([`crate::sim::appearance`]).

use crate::sim::appearance::{self, AgeBand, Appearance, HairStyle};
use bevy_egui::egui::{self, Color32, CornerRadius, Pos2, Rect, Shape, Stroke, pos2, vec2};

/// Skin tones, light to dark.
const SKIN: [Color32; appearance::SKIN_TONES] = [
    Color32::from_rgb(0xF1, 0xD3, 0xBC),
    Color32::from_rgb(0xE2, 0xB5, 0x94),
    Color32::from_rgb(0xC9, 0x8E, 0x66),
    Color32::from_rgb(0xA5, 0x6B, 0x45),
    Color32::from_rgb(0x7A, 0x4B, 0x2E),
    Color32::from_rgb(0x4E, 0x31, 0x21),
];

/// Hair colours: black, dark brown, brown, light brown, fair, auburn.
const HAIR: [Color32; appearance::HAIR_COLOURS] = [
    Color32::from_rgb(0x2B, 0x22, 0x20),
    Color32::from_rgb(0x4A, 0x32, 0x26),
    Color32::from_rgb(0x7A, 0x52, 0x30),
    Color32::from_rgb(0xB4, 0x8A, 0x5A),
    Color32::from_rgb(0xD8, 0xB7, 0x7A),
    Color32::from_rgb(0x8E, 0x3B, 0x22),
];

const GREY_HAIR: Color32 = Color32::from_rgb(0xC4, 0xC0, 0xB8);

/// Clothes, from the pictures' palette (as many as the core draws from).
const CLOTHES: [Color32; appearance::CLOTHES] = [
    Color32::from_rgb(0x7C, 0x9C, 0xB5),
    Color32::from_rgb(0x8F, 0xAE, 0x8B),
    Color32::from_rgb(0xC7, 0x78, 0x5B),
    Color32::from_rgb(0xD8, 0xB2, 0x5A),
    Color32::from_rgb(0x6E, 0x77, 0x80),
    Color32::from_rgb(0x3F, 0x5A, 0x78),
    Color32::from_rgb(0x5B, 0x50, 0x46),
    Color32::from_rgb(0x8A, 0x6A, 0x8E),
];

/// Babies' blankets: soft, light colours, so a baby reads as a baby at any size.
const BLANKETS: [Color32; 4] = [
    Color32::from_rgb(0xCF, 0xE3, 0xEE),
    Color32::from_rgb(0xF7, 0xF5, 0xF0),
    Color32::from_rgb(0xE9, 0xDC, 0xCB),
    Color32::from_rgb(0xC9, 0xDC, 0xC4),
];

const OUTLINE: Color32 = Color32::from_rgba_premultiplied(0x2E, 0x28, 0x23, 0x90);
const SHOES: Color32 = Color32::from_rgb(0x3A, 0x33, 0x2D);

/// How tall someone is drawn, as a share of a standing adult.
pub fn stature(age: AgeBand) -> f32 {
    match age {
        AgeBand::Baby => 0.32,
        AgeBand::Child => 0.6,
        AgeBand::Teenager => 0.88,
        AgeBand::Adult => 1.0,
        AgeBand::Older => 0.95,
    }
}

fn hair_colour(a: &Appearance) -> Color32 {
    if a.age == AgeBand::Older { GREY_HAIR } else { HAIR[a.hair % HAIR.len()] }
}

/// Draws a person standing with their feet at `feet`; `adult` is the height
/// of a standing adult in points. Returns the rectangle they take.
pub fn standing(painter: &egui::Painter, feet: Pos2, adult: f32, a: &Appearance) -> Rect {
    if a.age == AgeBand::Baby {
        return baby(painter, feet, adult, a);
    }
    let h = adult * stature(a.age);
    let skin = SKIN[a.skin % SKIN.len()];
    let top = CLOTHES[a.top % CLOTHES.len()];
    let bottom = CLOTHES[a.bottom % CLOTHES.len()];
    let stroke = Stroke::new(1.0, OUTLINE);
    let r = h * 0.095;
    let shoulders = h * 0.27 * a.build;
    let head = pos2(feet.x, feet.y - h + r);
    let neck = head.y + r;
    let hip = feet.y - h * 0.44;
    // Legs, with a gap between them, and shoes.
    let leg = shoulders * 0.36;
    for side in [-1.0, 1.0] {
        let x = feet.x + side * (leg / 2.0 + 1.0);
        let rect = Rect::from_center_size(pos2(x, (hip + feet.y) / 2.0), vec2(leg, feet.y - hip));
        painter.rect(rect, CornerRadius::same(2), bottom, stroke, egui::StrokeKind::Inside);
        painter.rect_filled(
            Rect::from_min_max(pos2(x - leg * 0.55, feet.y - 3.0), pos2(x + leg * 0.6, feet.y + 1.0)),
            1.0,
            SHOES,
        );
    }
    // Arms behind the body, hands at the hips.
    for side in [-1.0, 1.0] {
        let x = feet.x + side * (shoulders / 2.0 + shoulders * 0.06);
        let arm = Rect::from_center_size(pos2(x, (neck + hip) / 2.0 + r * 0.4), vec2(shoulders * 0.2, hip - neck));
        painter.rect(arm, CornerRadius::same(4), top.gamma_multiply(0.85), stroke, egui::StrokeKind::Inside);
        painter.circle_filled(pos2(x, hip + r * 0.5), shoulders * 0.1, skin);
    }
    // Body.
    let body = Rect::from_min_max(
        pos2(feet.x - shoulders / 2.0, neck + r * 0.2),
        pos2(feet.x + shoulders / 2.0, hip + r * 0.3),
    );
    painter.rect(body, CornerRadius::same((r * 0.8) as u8), top, stroke, egui::StrokeKind::Inside);
    head_and_hair(painter, head, r, a, skin);
    Rect::from_min_max(pos2(feet.x - shoulders, feet.y - h), pos2(feet.x + shoulders, feet.y))
}

/// A baby with nobody to carry them: lying on a playmat on the floor.
fn baby(painter: &egui::Painter, feet: Pos2, adult: f32, a: &Appearance) -> Rect {
    let h = adult * stature(AgeBand::Baby);
    painter.rect_filled(
        Rect::from_center_size(pos2(feet.x, feet.y - h * 0.08), vec2(h * 1.4, h * 0.16)),
        3.0,
        CLOTHES[(a.bottom + 1) % CLOTHES.len()],
    );
    held(painter, pos2(feet.x, feet.y - h * 0.35), adult, a)
}

/// A baby wrapped in a blanket, centred at `centre` (in someone's arms).
pub fn held(painter: &egui::Painter, centre: Pos2, adult: f32, a: &Appearance) -> Rect {
    let h = adult * stature(AgeBand::Baby);
    let blanket = Rect::from_center_size(centre, vec2(h * 0.9, h * 0.5));
    painter.rect(
        blanket,
        CornerRadius::same((h * 0.25) as u8),
        BLANKETS[a.top % BLANKETS.len()],
        Stroke::new(1.0, OUTLINE),
        egui::StrokeKind::Inside,
    );
    let head = pos2(blanket.min.x + h * 0.16, centre.y - h * 0.04);
    painter.circle_filled(pos2(head.x, head.y - h * 0.09), h * 0.15, hair_colour(a));
    painter.circle(pos2(head.x, head.y + h * 0.02), h * 0.18, SKIN[a.skin % SKIN.len()], Stroke::new(1.0, OUTLINE));
    blanket.expand(h * 0.1)
}

fn head_and_hair(painter: &egui::Painter, head: Pos2, r: f32, a: &Appearance, skin: Color32) {
    let hair = hair_colour(a);
    let stroke = Stroke::new(1.0, OUTLINE);
    match a.style {
        HairStyle::Long => {
            painter.rect_filled(
                Rect::from_min_max(pos2(head.x - r * 1.1, head.y - r * 0.2), pos2(head.x + r * 1.1, head.y + r * 2.1)),
                r * 0.5,
                hair,
            );
        }
        HairStyle::Medium => {
            painter.rect_filled(
                Rect::from_min_max(
                    pos2(head.x - r * 1.08, head.y - r * 0.2),
                    pos2(head.x + r * 1.08, head.y + r * 1.0),
                ),
                r * 0.4,
                hair,
            );
        }
        HairStyle::Headscarf => {
            let scarf = CLOTHES[(a.top + 3) % CLOTHES.len()];
            painter.add(Shape::convex_polygon(
                vec![
                    pos2(head.x - r * 1.25, head.y),
                    pos2(head.x + r * 1.25, head.y),
                    pos2(head.x + r * 1.5, head.y + r * 2.0),
                    pos2(head.x - r * 1.5, head.y + r * 2.0),
                ],
                scarf,
                stroke,
            ));
            painter.circle(head, r * 1.25, scarf, stroke);
            painter.circle(pos2(head.x, head.y + r * 0.1), r * 0.82, skin, Stroke::NONE);
            return;
        }
        _ => {}
    }
    painter.circle(head, r, skin, stroke);
    match a.style {
        HairStyle::Short | HairStyle::Medium | HairStyle::Long | HairStyle::Bun => {
            // A cap of hair over the top of the head.
            let cap: Vec<Pos2> = (0..=12)
                .map(|i| {
                    let t = std::f32::consts::PI * (1.0 + i as f32 / 12.0);
                    pos2(head.x + r * 1.06 * t.cos(), head.y - r * 0.15 + r * 1.0 * t.sin())
                })
                .collect();
            painter.add(Shape::convex_polygon(cap, hair, Stroke::NONE));
            if a.style == HairStyle::Bun {
                painter.circle_filled(pos2(head.x, head.y - r * 1.2), r * 0.45, hair);
            }
        }
        HairStyle::Bald => {
            painter.circle_filled(pos2(head.x - r * 0.92, head.y + r * 0.05), r * 0.22, hair);
            painter.circle_filled(pos2(head.x + r * 0.92, head.y + r * 0.05), r * 0.22, hair);
        }
        // Drawn above, over its own head.
        HairStyle::Headscarf => {}
    }
}

/// Head and shoulders in `rect`: who is on the line in a phone call.
pub fn portrait(painter: &egui::Painter, rect: Rect, a: &Appearance) {
    let skin = SKIN[a.skin % SKIN.len()];
    let top = CLOTHES[a.top % CLOTHES.len()];
    let r = rect.height() * 0.24;
    let head = pos2(rect.center().x, rect.min.y + rect.height() * 0.38);
    let shoulders = Rect::from_min_max(
        pos2(rect.center().x - r * 1.9, head.y + r * 1.05),
        pos2(rect.center().x + r * 1.9, rect.max.y + r),
    );
    let painter = painter.with_clip_rect(rect);
    painter.rect(
        shoulders,
        CornerRadius::same((r * 0.9) as u8),
        top,
        Stroke::new(1.0, OUTLINE),
        egui::StrokeKind::Inside,
    );
    head_and_hair(&painter, head, r, a, skin);
}
