//! The guided lesson: the Learn section (what burnlab is, and the lesson's steps, each opening
//! the section it is about), the lesson bar shown above that section while a step is open (the
//! lesson's words, the question, and the page's check of the answer), and the one line every
//! other section opens with. The steps and their checks are `state::learn`.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::learn::{LearnAction, STEPS};
use crate::state::{Action, Section, State};

/// Props of the Learn section, the lesson bar and the intro line.
#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The whole page's state.
    pub state: Rc<State>,
    /// Receives every change.
    pub dispatch: Callback<Action>,
    /// The section on show.
    #[prop_or_default]
    pub section: Section,
}

/// A link that opens step `i` in its section: it loads the step's numbers, then the fragment
/// moves to the section (so back and forward work as for any section link).
fn step_link(dispatch: &Callback<Action>, i: usize, text: String, class: &'static str) -> Html {
    let Some(step) = STEPS.get(i) else {
        return Html::default();
    };
    let section = step.section;
    let dispatch = dispatch.clone();
    // The step's numbers first, then the move: the click redraws this very link (the lesson
    // bar's Next becomes the step after), so its default action would follow the new `href`.
    let go = Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        dispatch.emit(Action::Learn(LearnAction::Go(i)));
        crate::services::link::open_section(section);
    });
    html! {
        <a href={format!("#{}", step.section.slug())} class={class} onclick={go}
            data-step={(i + 1).to_string()}>{ text }</a>
    }
}

/// The Learn section.
#[function_component(LearnSection)]
pub fn learn_section(props: &LearnProps) -> Html {
    let learn = &props.state.learn;
    let answered = (0..STEPS.len()).filter(|&i| learn.is_done(i)).count();
    let start = learn
        .step
        .filter(|&i| !learn.is_done(i))
        .or_else(|| (0..STEPS.len()).find(|&i| !learn.is_done(i)))
        .unwrap_or(0);
    html! {
        <section id="learn" class="panel learn" aria-labelledby="learn-title">
            <h2 id="learn-title">{ "Learn: from a 3 a.m. page to alerts worth waking for" }</h2>
            <p class="lead">
                { "burnlab is a playground for SLO alerting. It turns \"99.9 % over 30 days\" into an error budget, burn-rate alert tiers, Prometheus rules and an Alertmanager routing tree, and shows what they will do before they are deployed — in this page, with nothing sent anywhere." }
            </p>
            <p>
                { "This path follows the lesson \"Alerting and Incident Response\" through the page. Each step opens the section it is about with the lesson's numbers loaded, asks a question you answer by moving something there, and checks the answer with the page's own figures." }
            </p>
            <p class="learn-progress" data-testid="learn-progress">
                { format!("{answered} of {} steps answered. ", STEPS.len()) }
                { step_link(&props.dispatch, start, if answered == 0 { "Start with step 1 →".to_owned() } else { format!("Go on with step {} →", start + 1) }, "button primary") }
            </p>
            <ol class="learn-steps">
                { for STEPS.iter().enumerate().map(|(i, s)| html! {
                    <li class={classes!(learn.is_done(i).then_some("done"))}>
                        { step_link(&props.dispatch, i, s.title.to_owned(), "step-title") }
                        <span class="muted">{ format!(" — in {}", s.section.title()) }</span>
                        if learn.is_done(i) { <span class="tag ok">{ "✓ answered" }</span> }
                        <p>{ s.task }</p>
                    </li>
                }) }
            </ol>
            <p class="note">{ "Your place in the lesson is kept in this browser and in shared links. A step's numbers replace the ones in its section, as typing them would." }</p>
        </section>
    }
}

/// The lesson bar above the open step's section.
#[function_component(LessonBar)]
pub fn lesson_bar(props: &LearnProps) -> Html {
    let state = &props.state;
    let Some(i) = state.learn.step else {
        return Html::default();
    };
    let Some(step) = STEPS.get(i) else {
        return Html::default();
    };
    let answer = crate::state::learn::check(i, state);
    let leave = props
        .dispatch
        .reform(|_: MouseEvent| Action::Learn(LearnAction::Leave));
    let choices = step.choices.map(|(choices, _)| {
        html! {
            <fieldset class="lesson-choices">
                <legend>{ "Your answer" }</legend>
                { for choices.iter().enumerate().map(|(c, text)| {
                    let pick = props.dispatch.reform(move |_: Event| Action::Learn(LearnAction::Pick(c)));
                    html! {
                        <label>
                            <input type="radio" name="lesson-choice" checked={state.learn.picked == Some(c)} onchange={pick} />
                            { format!(" {text}") }
                        </label>
                    }
                }) }
            </fieldset>
        }
    });
    let wrong = step.choices.is_some() && state.learn.picked.is_some() && answer.is_none();
    html! {
        <aside class="lesson-bar" aria-labelledby="lesson-bar-title" data-testid="lesson-bar">
            <p class="lesson-where" id="lesson-bar-title" tabindex="-1">
                { format!("Lesson · step {} of {}: ", i + 1, STEPS.len()) }<strong>{ step.title }</strong>
            </p>
            <p>{ step.lesson }</p>
            <p class="lesson-task"><strong>{ "Your turn: " }</strong>{ step.task }</p>
            { choices.unwrap_or_default() }
            <p class={classes!("lesson-check", if answer.is_some() { "ok" } else { "waiting" })}
                role="status" aria-live="polite" data-testid="lesson-check">
                { match (&answer, wrong) {
                    (Some(a), _) => a.clone(),
                    (None, true) => format!("Not that one. {}", step.hint),
                    (None, false) => format!("Not yet. {}", step.hint),
                } }
            </p>
            if props.section != step.section {
                <p class="note">
                    { format!("This step is in the {} section: ", step.section.title()) }
                    <a href={format!("#{}", step.section.slug())}>{ format!("open {}", step.section.title()) }</a>
                </p>
            }
            <nav class="lesson-nav" aria-label="Lesson steps">
                if i > 0 {
                    { step_link(&props.dispatch, i - 1, "← Back".to_owned(), "button") }
                }
                if let Some(next) = STEPS.get(i + 1) {
                    { step_link(&props.dispatch, i + 1, format!("Next: {} →", next.title), if answer.is_some() { "button primary" } else { "button" }) }
                }
                <a href="#learn" class="button">{ "All steps" }</a>
                <button type="button" onclick={leave}>{ "Leave the lesson" }</button>
            </nav>
        </aside>
    }
}

/// The line each section opens with while no lesson step is open: what burnlab is, and the way
/// into the lesson.
#[function_component(Intro)]
pub fn intro(props: &LearnProps) -> Html {
    if props.state.learn.step.is_some() {
        return Html::default();
    }
    html! {
        <p class="page-intro" data-testid="intro">
            { "SLO burn-rate alerting, tried before it is deployed: error budget, alert tiers, Prometheus rules, Alertmanager routing and a replay, all in your browser. " }
            <a href="#learn">{ "New here? Follow the lesson →" }</a>
        </p>
    }
}
