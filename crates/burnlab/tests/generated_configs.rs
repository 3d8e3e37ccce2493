//! Properties of every config the test kit's route-tree generator makes: it reads back as the
//! same routing after being written out again, and routing through it never ends without a
//! receiver.

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab_testkit::rng::Rng;
use burnlab_testkit::trees::{label_set, route_tree_config};

proptest::proptest! {
    #[test]
    fn parse_of_render_is_the_same_routing(seed in 0u64..10_000) {
        let text = route_tree_config(seed, 3);
        let first = Config::parse(&text, ConfigOptions::default()).map(|c| c.route.render());
        let again = Config::parse(&text, ConfigOptions::default())
            .and_then(|c| Config::parse(&c.to_yaml(), ConfigOptions::default()))
            .map(|c| c.route.render());
        proptest::prop_assert_eq!(first, again);
    }

    #[test]
    fn routing_never_returns_an_empty_receiver_list(seed in 0u64..10_000, labels_seed in 0u64..1000) {
        let text = route_tree_config(seed, 3);
        let config = Config::parse(&text, ConfigOptions::default());
        proptest::prop_assert!(config.is_ok());
        if let Ok(config) = config {
            let mut rng = Rng::new(labels_seed);
            let labels = label_set(&mut rng);
            proptest::prop_assert!(!config.route(&labels).is_empty());
        }
    }
}
