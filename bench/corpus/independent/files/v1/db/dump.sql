-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'alice1@shop.test','$2a$12$pvDR7XKxixtzT.bO3nfVpGhpGhNyeof2PEu59LkFri5URPSd/Bype',NULL);
INSERT INTO `users` VALUES (2,'mkovacs2@shop.test','$1$hoyeMfLR$dyizDpQ/yCunz7BhJ3rMWx',NULL);
INSERT INTO `users` VALUES (3,'svc_app3@shop.test','$2y$10$Wcfe0S9bdBNT4xpPLDsTpEAYF6w1HtOUMavN4c.4yBFKr15UMzfgB',NULL);
INSERT INTO `users` VALUES (4,'jenkins4@shop.test','$1$f65S5hQH$8ZtwD/CVtVfhrUtrRhf5la',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','60584ae2a4f4d8c49312ce04407857f0f1f2ca74d343a8dc171a1aac90b5fc89');
