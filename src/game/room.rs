//! The room view: a drawn picture of the place the trainee is in, with the
//! things they can look at marked on it.
//!
//! Drawn in Bevy 2D from plain shapes made here in code (walls, floor,
//! window, furniture); nothing is downloaded. The case screen reserves a band
//! for it and puts a labelled egui button on each hotspot, so hotspots can be
//! reached with the mouse, with Tab, or with their letter key. The picture is
//! rebuilt only when the scene, the band or the theme changes, so it costs
//! nothing while the window is idle.

use super::settings::Settings;
use super::theme::Palette;
use super::{ActiveCase, Screen};
use crate::scenario::{ActionIx, RoomKind, SceneIx};
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RequestRedraw};

/// Draws the room view.
pub struct RoomPlugin;

impl Plugin for RoomPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<RoomBand>()
            .add_systems(PostUpdate, draw_room)
            .add_systems(OnExit(Screen::Case), clear_band);
    }
}

/// Where the case screen left room for the picture, in window coordinates
/// (logical pixels, origin top left), written by the case screen each frame.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct RoomBand {
    /// The band, if the case screen is showing one.
    pub rect: Option<Rect>,
}

/// Marks an entity as part of the drawn room.
#[derive(Component)]
struct RoomPart;

/// A shape in a room, in band coordinates (0–1 each way, origin top left).
struct Piece {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    role: Role,
}

#[derive(Clone, Copy)]
enum Role {
    Wall,
    Floor,
    Furniture,
    Detail,
}

const fn p(x0: f32, y0: f32, x1: f32, y1: f32, role: Role) -> Piece {
    Piece { x0, y0, x1, y1, role }
}

use Role::{Detail, Floor, Furniture, Wall};

const LIVING_ROOM: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.08, 0.12, 0.30, 0.45, Detail),    // window
        p(0.80, 0.18, 0.92, 0.75, Furniture), // door to the hall
        p(0.36, 0.46, 0.68, 0.72, Furniture), // sofa back
        p(0.34, 0.60, 0.70, 0.80, Furniture), // sofa seat
        p(0.42, 0.84, 0.60, 0.92, Detail),    // coffee table
        p(0.10, 0.55, 0.22, 0.80, Furniture), // cupboard
    ],
    &[(0.52, 0.58), (0.86, 0.48), (0.51, 0.88), (0.16, 0.30), (0.16, 0.66)],
);

const KITCHEN: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.06, 0.10, 0.20, 0.82, Detail),    // fridge
        p(0.24, 0.50, 0.74, 0.82, Furniture), // counter
        p(0.30, 0.12, 0.52, 0.40, Detail),    // window
        p(0.78, 0.60, 0.96, 0.70, Furniture), // table top
        p(0.80, 0.70, 0.82, 0.92, Furniture), // table leg
        p(0.92, 0.70, 0.94, 0.92, Furniture), // table leg
    ],
    &[(0.13, 0.40), (0.50, 0.62), (0.87, 0.55), (0.41, 0.26)],
);

const BEDROOM: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.06, 0.50, 0.46, 0.80, Furniture), // bed
        p(0.06, 0.40, 0.12, 0.80, Furniture), // headboard
        p(0.56, 0.52, 0.76, 0.82, Detail),    // cot
        p(0.82, 0.20, 0.96, 0.80, Furniture), // wardrobe
        p(0.20, 0.12, 0.40, 0.36, Detail),    // window
    ],
    &[(0.26, 0.62), (0.66, 0.62), (0.89, 0.45), (0.30, 0.24)],
);

const DOORSTEP: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.80, Wall),
        p(0.0, 0.80, 1.0, 1.0, Floor),
        p(0.38, 0.16, 0.62, 0.80, Furniture), // front door
        p(0.10, 0.20, 0.28, 0.48, Detail),    // window
        p(0.72, 0.20, 0.90, 0.48, Detail),    // window
    ],
    &[(0.50, 0.48), (0.19, 0.34), (0.81, 0.34)],
);

const SCHOOL: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.22, 0.12, 0.78, 0.42, Detail),    // whiteboard
        p(0.10, 0.62, 0.40, 0.70, Furniture), // table
        p(0.60, 0.62, 0.90, 0.70, Furniture), // table
        p(0.14, 0.70, 0.16, 0.90, Furniture),
        p(0.86, 0.70, 0.88, 0.90, Furniture),
    ],
    &[(0.50, 0.27), (0.25, 0.66), (0.75, 0.66)],
);

const CLINIC: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.10, 0.50, 0.55, 0.72, Detail),    // bed
        p(0.10, 0.40, 0.13, 0.72, Furniture), // bed end
        p(0.52, 0.40, 0.55, 0.72, Furniture), // bed end
        p(0.66, 0.16, 0.86, 0.40, Furniture), // monitor
        p(0.74, 0.40, 0.78, 0.86, Furniture), // stand
    ],
    &[(0.32, 0.60), (0.76, 0.28), (0.90, 0.70)],
);

const MEETING: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.30, 0.10, 0.70, 0.40, Detail),    // screen
        p(0.14, 0.58, 0.86, 0.70, Furniture), // long table
        p(0.20, 0.70, 0.23, 0.92, Furniture),
        p(0.77, 0.70, 0.80, 0.92, Furniture),
    ],
    &[(0.50, 0.25), (0.50, 0.64)],
);

const OFFICE: (&[Piece], &[(f32, f32)]) = (
    &[
        p(0.0, 0.0, 1.0, 0.68, Wall),
        p(0.0, 0.68, 1.0, 1.0, Floor),
        p(0.10, 0.56, 0.62, 0.64, Furniture), // desk
        p(0.14, 0.64, 0.17, 0.90, Furniture),
        p(0.55, 0.64, 0.58, 0.90, Furniture),
        p(0.26, 0.30, 0.46, 0.54, Detail),    // screen
        p(0.70, 0.10, 0.90, 0.60, Furniture), // door
        p(0.50, 0.46, 0.58, 0.56, Detail),    // phone
    ],
    &[(0.36, 0.42), (0.54, 0.50), (0.80, 0.36)],
);

/// The pieces of a room and where its hotspots go by default.
fn layout(kind: RoomKind) -> (&'static [Piece], &'static [(f32, f32)]) {
    match kind {
        RoomKind::LivingRoom => LIVING_ROOM,
        RoomKind::Kitchen => KITCHEN,
        RoomKind::Bedroom => BEDROOM,
        RoomKind::Doorstep => DOORSTEP,
        RoomKind::School => SCHOOL,
        RoomKind::Clinic => CLINIC,
        RoomKind::Meeting => MEETING,
        RoomKind::Office => OFFICE,
    }
}

/// Where hotspot `n` of `count` sits in a room, in band coordinates.
pub fn hotspot_position(kind: RoomKind, placed: Option<(f32, f32)>, n: usize) -> (f32, f32) {
    if let Some(at) = placed {
        return at;
    }
    let (_, anchors) = layout(kind);
    anchors.get(n).copied().unwrap_or((0.1 + 0.8 * ((n as f32 * 0.37) % 1.0), 0.85))
}

/// What the room was last drawn for.
#[derive(Default, PartialEq)]
struct Drawn {
    scene: Option<SceneIx>,
    rect: Option<Rect>,
    hotspots: Vec<ActionIx>,
    theme: Option<super::settings::Theme>,
    window: Vec2,
}

#[expect(clippy::too_many_arguments, reason = "drawing needs the case, the band, the theme and the assets")]
fn draw_room(
    mut commands: Commands,
    band: Res<RoomBand>,
    case: Option<Res<ActiveCase>>,
    settings: Res<Settings>,
    palette: Res<Palette>,
    window: Query<&Window, With<PrimaryWindow>>,
    parts: Query<Entity, With<RoomPart>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    mut drawn: Local<Drawn>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Ok(window) = window.single() else { return };
    let size = Vec2::new(window.width(), window.height());
    let now = Drawn {
        scene: case.as_ref().map(|c| c.session.state().scene),
        rect: band.rect,
        hotspots: case.as_ref().map(|c| c.session.hotspots()).unwrap_or_default(),
        theme: Some(settings.theme),
        window: size,
    };
    if now == *drawn {
        return;
    }
    for e in &parts {
        commands.entity(e).despawn();
    }
    if let (Some(rect), Some(case)) = (now.rect, case.as_ref()) {
        let kind = case.session.scene().room;
        // Window coordinates (origin top left, y down) to world (origin centre, y up).
        let to_world = |x: f32, y: f32| {
            Vec2::new(rect.min.x + x * rect.width() - size.x / 2.0, size.y / 2.0 - (rect.min.y + y * rect.height()))
        };
        let colour = |role: Role| match role {
            Role::Wall => palette.wall,
            Role::Floor => palette.floor,
            Role::Furniture => palette.furniture,
            Role::Detail => palette.detail,
        };
        let (pieces, _) = layout(kind);
        for (i, piece) in pieces.iter().enumerate() {
            let a = to_world(piece.x0, piece.y0);
            let b = to_world(piece.x1, piece.y1);
            let centre = (a + b) / 2.0;
            let extent = (b - a).abs();
            commands.spawn((
                RoomPart,
                Sprite::from_color(colour(piece.role), extent),
                Transform::from_xyz(centre.x, centre.y, i as f32 * 0.01),
            ));
        }
        let radius = (rect.height() * 0.07).clamp(6.0, 18.0);
        let ring = meshes.add(Annulus::new(radius * 0.7, radius));
        let dot = meshes.add(Circle::new(radius * 0.35));
        // A disc in the background colour behind each marker, so it stands out
        // on any piece of furniture (high contrast draws furniture white).
        let halo = meshes.add(Circle::new(radius * 1.25));
        let marker = materials.add(ColorMaterial::from_color(palette.marker));
        let halo_colour = materials.add(ColorMaterial::from_color(palette.background));
        for (n, a) in now.hotspots.iter().enumerate() {
            let (x, y) = hotspot_position(kind, case.session.scenario().action(*a).at, n);
            let at = to_world(x, y);
            commands.spawn((
                RoomPart,
                Mesh2d(halo.clone()),
                MeshMaterial2d(halo_colour.clone()),
                Transform::from_xyz(at.x, at.y, 0.9),
            ));
            commands.spawn((
                RoomPart,
                Mesh2d(ring.clone()),
                MeshMaterial2d(marker.clone()),
                Transform::from_xyz(at.x, at.y, 1.0),
            ));
            commands.spawn((
                RoomPart,
                Mesh2d(dot.clone()),
                MeshMaterial2d(marker.clone()),
                Transform::from_xyz(at.x, at.y, 1.0),
            ));
        }
    }
    *drawn = now;
    redraw.write(RequestRedraw);
}

fn clear_band(mut band: ResMut<RoomBand>) {
    band.rect = None;
}
