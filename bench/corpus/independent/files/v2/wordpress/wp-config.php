<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Blue396&vCX' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'o9T1{mR|&wPcscOy~Ch)3ite]_,SbaW6}}~[]r=~o@;FT>[Hv_k8]LiTt_(*B*d^');
define('SECURE_AUTH_KEY',         'c,gniu#>p[REf8]gl}qBFV|d,Z3H?pvjpSd1SQ[-?>pk?Sz3[,~CqKoixm,_((/@');
define('LOGGED_IN_KEY',         '/n28<eYSj8*wVji2Is4oNU(CYrf6~*,|g5_^,TgQ>}j*P{tWa,gDFjb2V<xWflbR');
define('NONCE_KEY',         'Y3k~C;g]Tn[7o}q}8I-satPMx?ob]4>O([p|x@5Ejs-e[RJje=[FK@AXcVH7Q6!J');
define('AUTH_SALT',         ']+aeB)CrylOZK/u>]&%hHBqK^LPSV=xY#ds6z?4#}~}Lw#EmYLX%Ho_[@Wci9;j=');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
