<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Moonlight9115#7LA' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         ')RVY.2-+~u}*[fMABv.Y4D38Cj!20IM3H{#f5#T%d^8u*NMn!9jjv44S9%J)RX?r');
define('SECURE_AUTH_KEY',         '6c@-lUKtTOP0#=atqAVCZQXq.4:/(f];<EQ~es*:.iNV1]!KW%VzJ(DC!Iw!,oA8');
define('LOGGED_IN_KEY',         'j1%~GjpmT#C8k9VGt#qguz/#=tC9I7anYHE&>KnL<gG[vE]r>&:6r8bsA*SNKgO7');
define('NONCE_KEY',         'iDXG5tGorF%B5vnO6P(WxxtJZb>9mik2uCnDEgPl^jX(Tme(q+&m8:5PlP~lpZnR');
define('AUTH_SALT',         'gEH<[-gQTp@8F<!pBB~qa>r?~bbjwH/HAomRE-=ax=z>1%(eomCw^gknKGW+ZT8e');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
